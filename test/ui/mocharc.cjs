// The Playwright UI suite: a real VS Code (code-server) with the packaged .vsix, driven through Chromium.
module.exports = {
  spec: ['test/ui/*.ui.ts'],
  require: ['tsx/cjs'],
  reporter: 'test/support/reporter.cjs',
  timeout: 120_000,
  bail: true,
};
