/**
 * Offers, once per repository and only in a trusted workspace, to install the git hooks that
 * write trailers and notes; and the command "AI Provenance: Install Git Hooks" that does it.
 *
 * Hooks run `node <script>`: the script is a copy of our CLI in the extension's global storage,
 * refreshed on activation, so hooks keep working when the extension updates (its own folder
 * carries the version in its name).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { install } from '../../cli/install';
import type { Io } from '../../cli/io';
import { hooksLocation } from '../../git/commands';
import { isOurHook } from '../../git/hooks';
import { runGit } from '../../git/runner';
import type { GitApi } from './commitPreview';

/** Copies dist/cli.js to `<globalStorage>/bin/git-provenance.js` when it differs; returns its path. */
export async function stableCli(context: vscode.ExtensionContext): Promise<string> {
  const source = path.join(context.extensionPath, 'dist', 'cli.js');
  const dir = path.join(context.globalStorageUri.fsPath, 'bin');
  const target = path.join(dir, 'git-provenance.js');
  const [a, b] = await Promise.all([fs.readFile(source), fs.readFile(target).catch(() => undefined)]);
  if (!b || !a.equals(b)) {
    await fs.mkdir(dir, { recursive: true });
    const tmp = `${target}.${process.pid}.tmp`;
    await fs.writeFile(tmp, a, { mode: 0o755 });
    await fs.rename(tmp, target);
  }
  return target;
}

/** Whether our hooks are installed for the repository at `root`. */
export async function hooksInstalled(root: string): Promise<boolean> {
  const loc = await runGit(root, hooksLocation(root));
  const text = await fs.readFile(path.join(loc.hooksDir, 'prepare-commit-msg'), 'utf8').catch(() => '');
  return isOurHook(text);
}

/** Installs the hooks in `root` with the stable CLI; returns what the installer printed. */
export async function installHooks(context: vscode.ExtensionContext, root: string): Promise<{ code: number; output: string }> {
  const cli = await stableCli(context);
  const lines: string[] = [];
  const io: Io = { cwd: root, out: (l) => lines.push(l), err: (l) => lines.push(l), now: () => Date.now(), stdin: () => Promise.resolve('') };
  // In desktop VS Code the extension host is Electron, not node: let the hooks find node on PATH.
  const node = process.versions.electron ? 'node' : process.execPath;
  const code = await install(['--cli', cli, '--node', node], io);
  return { code, output: lines.join('\n') };
}

/** Registers the install command and the once-per-repository offer. */
export function registerInstallOffer(context: vscode.ExtensionContext, getApi: () => GitApi | undefined, log: (m: string) => void): vscode.Disposable[] {
  const run = async (root: string): Promise<void> => {
    const res = await installHooks(context, root);
    log(res.output);
    if (res.code === 0) void vscode.window.showInformationMessage(`AI Provenance: git hooks installed in ${path.basename(root)}. Commits now get Assisted-by trailers and a provenance note.`);
    else void vscode.window.showErrorMessage(`AI Provenance: installing the git hooks failed: ${res.output}`);
  };
  const offered = new Set<string>();
  const offer = async (root: string): Promise<void> => {
    if (!vscode.workspace.isTrusted || offered.has(root)) return;
    offered.add(root);
    const key = `aiProvenance.installOffer:${root}`;
    if (context.globalState.get(key) || (await hooksInstalled(root))) return;
    await context.globalState.update(key, 'offered');
    const pick = await vscode.window.showInformationMessage(
      `AI Provenance: add AI trailers (Assisted-by, AI-Lines) and a provenance note to every commit in ${path.basename(root)}? This installs git hooks; hooks you already have keep running.`,
      'Install Hooks',
      'Not Now',
    );
    if (pick === 'Install Hooks') await run(root);
  };
  const timer = setTimeout(() => {
    // After the editor is idle: the offer is never on the activation path.
    for (const repo of getApi()?.repositories ?? []) void offer(repo.rootUri.fsPath).catch((e: unknown) => log(`install offer: ${String(e)}`));
  }, 5000);
  return [
    { dispose: () => clearTimeout(timer) },
    vscode.commands.registerCommand('aiProvenance.installHooks', async () => {
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showWarningMessage('AI Provenance: trust this workspace first; git hooks run code on every commit.');
        return;
      }
      const repos = getApi()?.repositories ?? [];
      const root = repos.length === 1 ? repos[0]!.rootUri.fsPath : (await vscode.window.showQuickPick(repos.map((r) => r.rootUri.fsPath), { placeHolder: 'Install the hooks in which repository?' }));
      if (root) await run(root);
    }),
  ];
}
