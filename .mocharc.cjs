// `npx mocha test/servers/git.test.ts` runs just that file; with no file named, every test runs.
const namesAFile = process.argv.slice(2).some((arg) => /\.test\.ts$/.test(arg));

module.exports = {
  spec: namesAFile ? [] : ['test/**/*.test.ts'],
  require: ['tsx/cjs'],
  reporter: 'test/support/reporter.cjs',
  timeout: 30000,
  slow: 2000,
};
