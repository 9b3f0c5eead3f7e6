/**
 * The portable agent hook command that `git provenance setup --project` writes into files a team
 * commits, and the per-clone launcher it reaches. The committed command holds no path of any
 * machine: it finds the launcher in the repository's git dir (never committed, written by
 * `setup` on each machine, with that machine's paths), and without one runs `git-provenance`
 * from PATH. Pure text; the CLI writes the files (src/cli/setup.ts).
 */
import type { AgentId } from './agentPayloads';

/** The launcher's path below the git common dir (shared by all worktrees of a clone). */
export const launcherPath = 'ai-provenance/agent-hook';

/** First line after the shebang: how `setup` knows the launcher is ours. */
export const launcherMarker = '# ai-provenance agent hook launcher v1';

/**
 * The command written into a project's agent config. Agents run it through `sh -c` with the
 * project as the working folder; `git rev-parse` finds the git dir from there (and from a
 * linked worktree or a subfolder) in a few milliseconds.
 */
export function portableCommand(agent: AgentId): string {
  return `f="$(git rev-parse --git-common-dir 2>/dev/null)/${launcherPath}"; if [ -f "$f" ]; then sh "$f" ${agent}; else git-provenance hook ${agent}; fi`;
}

/** Quotes a value for a POSIX sh single-quoted string. */
function shSingle(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** What the launcher starts on this machine. */
export interface LauncherTarget {
  /** The shell front (agent-hook.sh), by absolute path, when there is one; else the CLI runs at once. */
  readonly front?: string;
  /** The CLI script (cli.js or the extension's copy). */
  readonly cli: string;
  /** The binary that runs it. */
  readonly node: string;
  /** The binary is an editor's Electron: run it as node. */
  readonly electron?: boolean;
}

/** The launcher script: this machine's paths, handed the agent name as `$1` and the payload on stdin. */
export function launcherScript(t: LauncherTarget): string {
  const run = t.front ? `exec sh ${shSingle(t.front)} hook "$1" ${shSingle(t.node)}` : `exec ${shSingle(t.node)} ${shSingle(t.cli)} hook "$1"`;
  return `#!/bin/sh
${launcherMarker}
# Written by \`git provenance setup\` on this machine, with its paths; not part of the repository.
# The agent configs the team shares run it when it is here (else \`git-provenance\` from PATH).
${t.electron ? '# The runtime is an editor\'s Electron binary: this makes it run as node.\nELECTRON_RUN_AS_NODE=1\nexport ELECTRON_RUN_AS_NODE\n' : ''}${run}
`;
}
