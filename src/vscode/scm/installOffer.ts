/**
 * Offers, once per repository and only in a trusted workspace, to install the git hooks that
 * write trailers and notes; and the command "AI Provenance: Install Git Hooks" that does it.
 *
 * Hooks run `node <script>`: the script is a copy of our CLI in the extension's global storage,
 * refreshed on activation, so hooks keep working when the extension updates (its own folder
 * carries the version in its name).
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { hooksLocation } from '../../git/commands';
import { isOurHook } from '../../git/hooks';
import { runGit } from '../../git/runner';
import type { GitApi } from './commitPreview';

/** Copies `source` to `target` when they differ, through a temp file and a rename. */
async function refresh(source: string, target: string, mode: number): Promise<void> {
  const [a, b] = await Promise.all([fs.readFile(source), fs.readFile(target).catch(() => undefined)]);
  if (b && a.equals(b)) return;
  await fs.mkdir(path.dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  await fs.writeFile(tmp, a, { mode });
  await fs.rename(tmp, target);
}

/**
 * Copies dist/cli.js to `<globalStorage>/bin/git-provenance.js`, and beside it the agent hook's
 * shell front and the git hooks' entry (hook.js, which `install` points the hooks at, and the
 * bundle it starts), when they differ; returns the CLI's path.
 */
export async function stableCli(context: vscode.ExtensionContext): Promise<string> {
  const dir = path.join(context.globalStorageUri.fsPath, 'bin');
  const target = path.join(dir, 'git-provenance.js');
  const dist = (name: string): string => path.join(context.extensionPath, 'dist', name);
  await Promise.all([
    refresh(dist('cli.js'), target, 0o755),
    refresh(dist('agent-hook.sh'), path.join(dir, 'agent-hook.sh'), 0o755),
    // The bundle first: hook.js starts whatever hook-impl.js is beside it.
    refresh(dist('hook-impl.js'), path.join(dir, 'hook-impl.js'), 0o644).then(() => refresh(dist('hook.js'), path.join(dir, 'hook.js'), 0o644)),
  ]);
  return target;
}

/** Whether our hooks are installed for the repository at `root`. */
export async function hooksInstalled(root: string): Promise<boolean> {
  const loc = await runGit(root, hooksLocation(root));
  const text = await fs.readFile(path.join(loc.hooksDir, 'prepare-commit-msg'), 'utf8').catch(() => '');
  return isOurHook(text);
}

/**
 * Runs the stable CLI in `cwd` as its own process (the extension host's own binary as node:
 * Electron in desktop VS Code, with ELECTRON_RUN_AS_NODE). In a process, not in-process, so
 * the installer and the agent setup stay out of the extension's bundle.
 */
export async function runStableCli(context: vscode.ExtensionContext, args: readonly string[], cwd: string): Promise<{ code: number; output: string }> {
  const cli = await stableCli(context);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (e) => resolve({ code: 1, output: `${output}${e.message}` }));
    child.on('close', (code) => resolve({ code: code ?? 1, output: output.trimEnd() }));
  });
}

/**
 * Installs the hooks in `root` with the stable CLI; returns what the installer printed. No
 * `--node`: the installer runs under this extension host's binary and picks the hooks'
 * runtime itself (Node.js 20+ on PATH, else this editor's Electron as node; src/git/hookRuntime.ts).
 */
export async function installHooks(context: vscode.ExtensionContext, root: string): Promise<{ code: number; output: string }> {
  const cli = await stableCli(context);
  return runStableCli(context, ['install', '--cli', cli], root);
}

/** The installer's line saying which runtime the hooks run, without its prefix. */
function runtimeLine(output: string): string | undefined {
  return /^hooks run: (.*)$/m.exec(output)?.[1];
}

/** Registers the install command and the once-per-repository offer. */
export function registerInstallOffer(context: vscode.ExtensionContext, getApi: () => GitApi | undefined, log: (m: string) => void): vscode.Disposable[] {
  const run = async (root: string): Promise<void> => {
    const res = await installHooks(context, root);
    log(res.output);
    const runtime = runtimeLine(res.output);
    if (res.code === 0) void vscode.window.showInformationMessage(`AI Provenance: git hooks installed in ${path.basename(root)}. Commits now get Assisted-by trailers and a provenance note.${runtime ? ` The hooks run ${runtime}.` : ''}`);
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
