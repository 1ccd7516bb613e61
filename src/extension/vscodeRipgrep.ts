// VS Code ships its own ripgrep (for its search view); the logs server uses it for literal searches, so a machine
// without rg on PATH still searches gigabytes at ripgrep speed. Its place has moved between VS Code versions.
import fs from 'node:fs';
import path from 'node:path';

export function findVscodeRipgrep(appRoot: string, platform = process.platform, arch = process.arch): string | undefined {
  const name = platform === 'win32' ? 'rg.exe' : 'rg';
  const candidates = [
    // VS Code 1.139 and later: one binary per platform in @vscode/ripgrep-universal.
    path.join(appRoot, 'node_modules', '@vscode', 'ripgrep-universal', 'bin', `${platform}-${arch}`, name),
    path.join(appRoot, 'node_modules.asar.unpacked', '@vscode', 'ripgrep-universal', 'bin', `${platform}-${arch}`, name),
    path.join(appRoot, 'node_modules', '@vscode', 'ripgrep', 'bin', name),
    path.join(appRoot, 'node_modules.asar.unpacked', '@vscode', 'ripgrep', 'bin', name),
    path.join(appRoot, 'node_modules', 'vscode-ripgrep', 'bin', name),
    path.join(appRoot, 'node_modules.asar.unpacked', 'vscode-ripgrep', 'bin', name),
  ];
  return candidates.find((file) => fs.existsSync(file));
}
