/**
 * Which JavaScript runtime the git hooks run the CLI with. A terminal install uses the node
 * that runs it. Desktop VS Code runs the installer under its own Electron binary, which is not
 * node; there a Node.js 20+ found on PATH is preferred, and without one the editor's Electron
 * itself runs the hooks with `ELECTRON_RUN_AS_NODE=1`, as VS Code's git extension runs its
 * askpass and editor helpers. Node-only, no git: shared by the CLI's `install` and the editor.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import * as path from 'node:path';

/** The lowest Node.js major version the CLI runs on (package.json `engines.node`). */
export const minNodeMajor = 20;

/** A runtime the hooks can run the CLI with. */
export interface HookRuntime {
  /** Absolute path of the binary ('' when nothing was found: the hooks then look on PATH). */
  readonly path: string;
  /** An Electron binary: the hooks must set `ELECTRON_RUN_AS_NODE=1` to run it as node. */
  readonly electron: boolean;
  /** Its Node.js version (`20.18.1`), when it could be run to ask. */
  readonly nodeVersion?: string;
  /** Why it was chosen: given with --node, found on PATH, or the process running now. */
  readonly source: 'given' | 'path' | 'self';
}

/** What a binary said about itself when run as node. */
export interface RuntimeProbe {
  readonly node: string;
  readonly electron?: string;
}

/** Asks `bin` (run as node, with `ELECTRON_RUN_AS_NODE=1` in case it is Electron) for its versions; undefined when it cannot run. */
export function probeRuntime(bin: string, timeoutMs = 10_000): Promise<RuntimeProbe | undefined> {
  return new Promise((resolve) => {
    const script = 'process.stdout.write(JSON.stringify([process.versions.node,process.versions.electron||""]))';
    let out = '';
    let child;
    try {
      child = spawn(bin, ['-e', script], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'ignore'], timeout: timeoutMs });
    } catch {
      resolve(undefined);
      return;
    }
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', () => resolve(undefined));
    child.on('close', (code) => {
      try {
        const parsed = JSON.parse(out) as unknown;
        if (code === 0 && Array.isArray(parsed) && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
          resolve(parsed[1] ? { node: parsed[0], electron: parsed[1] } : { node: parsed[0] });
          return;
        }
      } catch {
        // Not a JavaScript runtime (or it printed something else): it cannot run the hooks.
      }
      resolve(undefined);
    });
  });
}

/** The first executable file `name` in the folders of `pathEnv` (PATH's value), or undefined. */
export function findOnPath(name: string, pathEnv: string | undefined, platform: NodeJS.Platform = process.platform): string | undefined {
  const names = platform === 'win32' ? [`${name}.exe`, `${name}.cmd`] : [name];
  for (const dir of (pathEnv ?? '').split(platform === 'win32' ? ';' : ':')) {
    // An empty PATH entry means the current folder, which a hook must never trust.
    if (!dir || !path.isAbsolute(dir)) continue;
    for (const n of names) {
      const file = path.join(dir, n);
      try {
        if (!statSync(file).isFile()) continue;
        accessSync(file, constants.X_OK);
        return file;
      } catch {
        // Not there, or not executable: the next folder.
      }
    }
  }
  return undefined;
}

/** The major version of a Node.js version string (`v20.1.0` or `20.1.0`), NaN when unreadable. */
export function nodeMajor(version: string): number {
  return Number(/^v?(\d+)\./.exec(version)?.[1] ?? NaN);
}

/** What {@link chooseHookRuntime} needs to know about this process and its environment. */
export interface RuntimeContext {
  /** `--node PATH`, when given. */
  readonly given?: string;
  /** PATH as the hooks' installer sees it. */
  readonly pathEnv: string | undefined;
  /** The binary running now (process.execPath). */
  readonly execPath: string;
  /** The Electron version of the binary running now (process.versions.electron), if it is Electron. */
  readonly electron?: string;
  /** The Node.js version of the binary running now. */
  readonly nodeVersion: string;
  /** How to run a binary to ask its versions (default {@link probeRuntime}). */
  readonly probe?: (bin: string) => Promise<RuntimeProbe | undefined>;
}

/**
 * Chooses the runtime the hooks run: `--node` when given; else, when the installer runs under
 * plain node, that node; under Electron (the editor), a Node.js 20+ found on PATH, else the
 * editor's own binary run as node.
 */
export async function chooseHookRuntime(ctx: RuntimeContext): Promise<HookRuntime> {
  const probe = ctx.probe ?? probeRuntime;
  if (ctx.given !== undefined) {
    const abs = path.isAbsolute(ctx.given) || !ctx.given.includes('/') ? ctx.given : path.resolve(ctx.given);
    const p = await probe(abs);
    return { path: abs, electron: Boolean(p?.electron), ...(p ? { nodeVersion: p.node } : {}), source: 'given' };
  }
  if (!ctx.electron) return { path: ctx.execPath, electron: false, nodeVersion: ctx.nodeVersion, source: 'self' };
  const onPath = findOnPath('node', ctx.pathEnv);
  if (onPath) {
    const p = await probe(onPath);
    if (p && !p.electron && nodeMajor(p.node) >= minNodeMajor) return { path: onPath, electron: false, nodeVersion: p.node, source: 'path' };
  }
  return { path: ctx.execPath, electron: true, nodeVersion: ctx.nodeVersion, source: 'self' };
}

/** One line saying which runtime the hooks run, for `install`'s output and the editor's notification. */
export function describeRuntime(r: HookRuntime): string {
  if (!r.path) return 'hooks run: node from PATH at commit time';
  const version = r.nodeVersion ? `Node.js ${r.nodeVersion.replace(/^v/, '')}` : 'it did not run here';
  if (r.electron) return `hooks run: ${r.path} (the editor's own runtime as node, ${version}, with ELECTRON_RUN_AS_NODE=1${r.source === 'self' ? `; no Node.js ${minNodeMajor}+ on PATH` : ''})`;
  return `hooks run: ${r.path} (${version}${r.source === 'path' ? ', found on PATH' : r.source === 'given' ? ', given with --node' : ''})`;
}
