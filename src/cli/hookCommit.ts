/**
 * The message hooks: `prepare-commit-msg` writes the trailers of the staged change into the
 * message; `commit-msg` adds them when the message was still empty before the editor, and is
 * where commit friction decides (src/cli/hookFriction.ts).
 *
 * Which change is counted:
 * - a commit: the index against HEAD (nothing on the first commit), lines of the ledger;
 * - `--amend`: the index against HEAD's first parent — the whole amended commit — with the
 *   lines of HEAD's note as well as the ledger's;
 * - a cherry-pick or rebase pick: also the lines of the picked commit's note;
 * - a rebase squash or fixup (an amend run by the sequencer): also the squashed commit's note;
 * - a merge: the index against the first parent (ledger lines only: the merged branch's own
 *   lines are already described by its commits' notes).
 */
import { randomUUID } from 'node:crypto';
import { promises as fs, statSync } from 'node:fs';
import * as path from 'node:path';
import type { LedgerData } from '../core/ledger';
import { emptyLedger } from '../core/ledger';
import type { FilePatch } from '../core/patch';
import type { Trailer } from '../core/trailers';
import { buildTrailers, detectCommentChar, hasContent, provenanceIds, squashedCommits, stripOwnTrailers, trailerKeys } from '../core/trailers';
import type { HookRepo } from '../git/commands';
import { emptyTree, hookRepo, interpretTrailers, resolveCommit, stagedPatch } from '../git/commands';
import { LedgerStore } from '../git/ledgerStore';
import { readNote } from '../git/notes';
import { frictionBlockCode } from '../git/hooks';
import { runGit } from '../git/runner';
import type { FileAttribution, NoteSource } from './attribution';
import { attributeChange } from './attribution';
import type { SequencerState } from './gitState';
import { isAmend, sequencerState } from './gitState';
import type { Io } from './io';
import { commitFriction, saveStagedAiLines } from './hookFriction';
import { trace } from './trace';

/** Environment a hook reads: passed in so tests can run hooks in-process. */
export type HookEnv = Readonly<Record<string, string | undefined>>;

/** Trailers computed before the editor opened on an empty message, for `commit-msg`. */
interface Pending {
  readonly trailers: Trailer[];
}

function pendingFile(repo: HookRepo): string {
  return path.join(repo.ledgerDir, 'pending-trailers.json');
}

/** The trailers the staged change should carry. */
interface PreparedTrailers {
  readonly repo: HookRepo;
  /** Undefined: leave the message as it is (see {@link computeTrailers}). */
  readonly trailers: Trailer[] | undefined;
  /** The staged change's attributed lines per file, for commit friction (none: no AI line). */
  readonly files?: readonly FileAttribution[];
}

/**
 * The git dir of the worktree a hook runs in, when it can be told without asking git: git runs
 * hooks at the worktree root, and when `.git` there is a folder and no GIT_DIR, GIT_WORK_TREE
 * or GIT_COMMON_DIR redirects it, that folder is the git dir (its `ai-provenance` folder the
 * ledger's). A linked worktree (`.git` is a file) or any redirection: undefined, ask git.
 */
function localGitDir(cwd: string, env: HookEnv): string | undefined {
  if (env.GIT_DIR || env.GIT_WORK_TREE || env.GIT_COMMON_DIR) return undefined;
  try {
    return statSync(path.join(cwd, '.git')).isDirectory() ? path.join(cwd, '.git') : undefined;
  } catch {
    return undefined;
  }
}

/** `git diff --cached` against HEAD, or for an amend against HEAD's parent (or nothing). */
async function staged(cwd: string, amend: boolean): Promise<FilePatch[]> {
  if (!amend) return runGit(cwd, stagedPatch());
  const parent = await runGit(cwd, resolveCommit('HEAD^1'));
  return runGit(cwd, stagedPatch(parent ?? (await runGit(cwd, emptyTree()))));
}

/**
 * Computes the trailers of the commit being prepared. `message` is the message as git wrote
 * it to the file (its AI-Provenance id is kept, except where the commit is a copy of another).
 *
 * Speed matters here (it runs on every commit, before the editor opens). In a plain commit
 * at the root of a main worktree, the git dir is known without `git rev-parse` (see
 * {@link localGitDir}) and HEAD is not needed: two git calls, the staged diff and
 * interpret-trailers. Otherwise the diff starts beside `git rev-parse`, not after it.
 */
async function computeTrailers(io: Io, env: HookEnv, message: string, source: string | undefined, sha: string | undefined): Promise<PreparedTrailers> {
  const cwd = io.cwd;
  trace('prepare-commit-msg start');
  const amendFlag = await isAmend(source, sha, env.AIP_GIT_PID ? Number(env.AIP_GIT_PID) : undefined);
  const local = localGitDir(cwd, env);
  const read = (gitDir: string, ledgerDir: string): Promise<[SequencerState, LedgerData]> =>
    Promise.all([sequencerState(gitDir, env.GIT_REFLOG_ACTION), new LedgerStore(ledgerDir, io.err).read()]);
  const early = local ? await read(local, path.join(local, 'ai-provenance')) : undefined;
  trace('ledger read');
  const earlyAmend = amendFlag || early?.[0].squashSource !== undefined;
  const worthIt = early !== undefined && (Object.keys(early[1].files).length > 0 || earlyAmend || early[0].cherryPick !== undefined || source === 'squash');
  let patchesP = worthIt ? staged(cwd, earlyAmend) : undefined;
  // Handled below if it is used; a failure of the early diff is retried there.
  patchesP?.catch(() => undefined);
  let repo: HookRepo;
  let state: SequencerState;
  let fullLedger: LedgerData;
  if (local && early && !earlyAmend) {
    // HEAD is only needed for an amend: left unresolved here.
    repo = { root: cwd, gitDir: local, ledgerDir: path.join(local, 'ai-provenance'), head: undefined };
    [state, fullLedger] = early;
  } else {
    repo = await runGit(cwd, hookRepo(cwd));
    trace('rev-parse');
    if (early && local === repo.gitDir && path.join(local, 'ai-provenance') === repo.ledgerDir) [state, fullLedger] = early;
    else {
      [state, fullLedger] = await read(repo.gitDir, repo.ledgerDir);
      patchesP = undefined;
    }
  }
  const ledger = state.automated ? emptyLedger() : fullLedger;
  const amend = (amendFlag || state.squashSource !== undefined) && repo.head !== undefined;
  const noteCommits: string[] = [];
  if (state.squashSource && amend) noteCommits.push(state.squashSource);
  if (amend) noteCommits.push('HEAD');
  if (state.cherryPick) noteCommits.push(state.cherryPick);
  noteCommits.push(...squashedCommits(message));
  const notes: NoteSource[] = await Promise.all(noteCommits.map(async (c) => ({ commit: c === 'HEAD' ? repo.head! : c, records: await readNote(cwd, c) })));
  const sources = notes.filter((n) => n.records.length > 0);
  // The message carries trailers of a commit we are rewriting or copying, but that commit's
  // note is not here (notes not fetched, made without our hooks): nothing to recount them
  // from, so they stay as they are rather than being dropped.
  if (noteCommits.length > 0 && sources.length === 0 && provenanceIds(message).length > 0) return { repo, trailers: undefined };
  if (Object.keys(ledger.files).length === 0 && sources.length === 0) return { repo, trailers: [] };
  let patches: FilePatch[] | undefined;
  // The early diff counts only if its base was the right one (no HEAD: nothing to amend).
  if (patchesP && earlyAmend === amend) patches = await patchesP.catch(() => undefined);
  patches ??= await staged(cwd, amend);
  trace('staged diff');
  const result = await attributeChange({ cwd, root: repo.root, patches, target: { spec: (p) => `:${p}` }, ledger, notes: sources });
  trace('attributed');
  // A copy of another commit gets its own record id; a rewrite of the same commit keeps it.
  const copy = (state.cherryPick !== undefined && !state.rebase) || (source === 'commit' && !amend);
  // `--amend -m …` replaces the message: the id is then HEAD's, from its note.
  const headId = amend ? notes.find((n) => n.commit === repo.head)?.records[0]?.id : undefined;
  const existing = copy ? undefined : (provenanceIds(message).pop() ?? headId);
  return { repo, trailers: buildTrailers(result.count, existing ?? randomUUID()), files: result.files };
}

/**
 * `prepare-commit-msg <file> [<source> [<sha>]]`: replaces our trailers in the message with
 * those of the staged change. When the message is still empty (the editor is about to open on
 * it), the trailers wait for `commit-msg`: written now, they would make a message the user
 * left empty to abort the commit look non-empty.
 */
export async function prepareCommitMsg(args: readonly string[], io: Io, env: HookEnv): Promise<number> {
  const [file, source, sha] = args;
  if (!file) return 0;
  const msgFile = path.resolve(io.cwd, file);
  const message = await fs.readFile(msgFile, 'utf8');
  const { repo, trailers, files } = await computeTrailers(io, env, message, source, sha);
  // For commit-msg's friction (src/cli/hookFriction.ts), whatever happens to the message.
  await saveStagedAiLines(repo.ledgerDir, env, files ?? []);
  await fs.rm(pendingFile(repo), { force: true });
  if (!trailers) return 0;
  const stripped = stripOwnTrailers(message);
  const commentChar = detectCommentChar(message);
  if (stripped.removed > 0) await fs.writeFile(msgFile, stripped.message);
  if (trailers.length === 0) return 0;
  if (!hasContent(stripped.message, commentChar ?? '#')) {
    await fs.mkdir(repo.ledgerDir, { recursive: true });
    const pending: Pending = { trailers };
    await fs.writeFile(pendingFile(repo), JSON.stringify(pending));
    return 0;
  }
  await runGit(repo.root, interpretTrailers(msgFile, trailers, commentChar));
  trace('trailers written');
  return 0;
}

/** A pending trailer read back from disk is used only if it is one of ours and one line. */
function isOurTrailer(t: unknown): t is Trailer {
  const x = t as Partial<Trailer> | null;
  return (
    typeof x?.key === 'string' &&
    typeof x.value === 'string' &&
    (Object.values(trailerKeys) as string[]).includes(x.key) &&
    // eslint-disable-next-line no-control-regex
    !/[\u0000-\u001f\u007f]/.test(x.value)
  );
}

/**
 * `commit-msg <file>`: adds trailers left pending by `prepare-commit-msg`; then commit friction
 * (src/cli/hookFriction.ts), whose refusal is exit code {@link frictionBlockCode}.
 */
export async function commitMsg(args: readonly string[], io: Io, env: HookEnv): Promise<number> {
  const [file] = args;
  if (file) {
    const repo = await runGit(io.cwd, hookRepo(io.cwd));
    let pending: Pending | undefined;
    try {
      pending = JSON.parse(await fs.readFile(pendingFile(repo), 'utf8')) as Pending;
    } catch {
      pending = undefined;
    }
    const trailers = pending && Array.isArray(pending.trailers) ? pending.trailers.filter(isOurTrailer) : [];
    if (trailers.length > 0) {
      await fs.rm(pendingFile(repo), { force: true });
      const msgFile = path.resolve(io.cwd, file);
      const message = await fs.readFile(msgFile, 'utf8');
      const commentChar = detectCommentChar(message);
      // Still empty: git is about to abort the commit for its empty message; leave it so.
      if (hasContent(message, commentChar ?? '#')) {
        const stripped = stripOwnTrailers(message);
        if (stripped.removed > 0) await fs.writeFile(msgFile, stripped.message);
        await runGit(repo.root, interpretTrailers(msgFile, trailers, commentChar));
      }
    }
    if ((await commitFriction(repo, path.resolve(io.cwd, file), io, env)) === 'block') return frictionBlockCode;
  }
  return 0;
}
