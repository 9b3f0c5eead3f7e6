/**
 * The message hooks: `prepare-commit-msg` writes the trailers of the staged change into the
 * message; `commit-msg` adds them when the message was still empty before the editor, and is
 * where commit friction decides (src/cli/gitHooks/friction.ts).
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
import { closeSync, existsSync, promises as fs, readFileSync, statSync, unlink, unlinkSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import type { LedgerData } from '../../core/ledger/ledger';
import { emptyLedger, serializeLedger } from '../../core/ledger/ledger';
import type { FilePatch } from '../../core/commit/patch';
import { parseZeroContextPatch } from '../../core/commit/patch';
import type { Trailer } from '../../core/commit/trailers';
import { buildTrailers, detectCommentChar, hasContent, provenanceIds, squashedCommits, stripOwnTrailers, trailerKeys } from '../../core/commit/trailers';
import { dropPrepared, prepareCommitFiles, staged } from './preparedCommit';
import type { HookRepo, RepoInfo } from '../../git/commands';
import { catFileBatch, hookRepo, interpretTrailers } from '../../git/commands';
import { policyFileName } from '../../core/policy/policy';
import { gitRedirected, hookRepoInfo, ledgerDirIn, plainGitDir } from '../../git/gitDir';
import { LedgerStore } from '../../node/ledgerStore';
import { readNote } from '../../git/notes';
import { removeFileSync } from '../../node/removeFile';
import { deferMarker, frictionBlockCode, scriptProtocol } from '../../git/hooks';
import { runGit } from '../../git/runner';
import { randomUuid } from '../../node/uuid';
import type { ChangeLines, NoteSource } from '../../node/attribution';
import { attributeChange } from '../../node/attribution';
import type { SequencerState } from '../../git/gitState';
import { isAmend, sequencerState } from '../../git/gitState';
import type { HookEnv } from '../../node/handoff';
import { saveStagedAiLines } from '../../node/handoff';
import type { Io } from '../io';
import { commitFriction } from './friction';
import { trace } from './trace';

/** Environment a hook reads: passed in so tests can run hooks in-process. */

/** Trailers computed before the editor opened on an empty message, for `commit-msg`. */
interface Pending {
  readonly trailers: Trailer[];
}

function pendingFile(repo: Pick<HookRepo, 'ledgerDir'>): string {
  return path.join(repo.ledgerDir, 'pending-trailers.json');
}

/** The trailers the staged change should carry. */
interface PreparedTrailers {
  readonly repo: HookRepo;
  /** Undefined: leave the message as it is (see {@link computeTrailers}). */
  readonly trailers: Trailer[] | undefined;
  /** The staged change's attributed lines per file, for commit friction (none: no AI line). */
  readonly files?: ChangeLines['files'];
  /** The commit replaces HEAD (`--amend`, a rebase squash or fixup). */
  readonly amend: boolean;
  /** The staged diff counted, when one was (against HEAD, or HEAD's parent for `amend`). */
  readonly patches?: Promise<FilePatch[]> | FilePatch[];
}

/**
 * The git dir of the worktree a hook runs in, when it can be told without asking git: git runs
 * hooks at the worktree root, and when `.git` there is a folder and no GIT_DIR, GIT_WORK_TREE
 * or GIT_COMMON_DIR redirects it, that folder is the git dir (its `ai-provenance` folder the
 * ledger's). A linked worktree (`.git` is a file) or any redirection: undefined, ask git.
 */
function localGitDir(cwd: string, env: HookEnv): string | undefined {
  const git = gitRedirected(env) ? undefined : plainGitDir(cwd);
  return git && !git.linked ? git.gitDir : undefined;
}

/** A staged diff started before it is known to be wanted, and the base it compares with. */
interface StartedDiff {
  readonly amend: boolean;
  /** The patches: at hand (the hook script's diff) or coming (our own). */
  readonly patches: () => FilePatch[] | Promise<FilePatch[]>;
  /** Kills the diff if it still runs (a no-op once it has finished). */
  readonly stop: () => void;
}

function startStaged(cwd: string, amend: boolean, env: HookEnv): StartedDiff {
  if (!amend && env[scriptProtocol.stagedDiff]) {
    // Read when wanted, after the ledger: git has long finished by then.
    let got: FilePatch[] | Promise<FilePatch[]> | undefined;
    return { amend, patches: () => (got ??= scriptDiff(cwd, env) ?? staged(cwd, false)), stop: () => undefined };
  }
  const abort = new AbortController();
  const patches = staged(cwd, amend, abort.signal);
  // Handled where it is used; a failure of a diff started early is retried there.
  patches.catch(() => undefined);
  return { amend, patches: () => patches, stop: () => abort.abort() };
}

/**
 * The staged diff (against HEAD) that the hook script ran beside node (see
 * `prepareCommitMsgRun` in src/git/hooks.ts): its exit status comes on stdin once git is done,
 * its output is in the file the script names. Git started with node, so it has finished when
 * this is read (if not, the read waits for it). Undefined for anything but status 0 and a
 * readable file.
 */
function scriptDiff(cwd: string, env: HookEnv): FilePatch[] | undefined {
  const file = env[scriptProtocol.stagedDiff];
  try {
    if (!file || readFileSync(0, 'utf8') !== `${scriptProtocol.statusLine} 0\n`) return undefined;
    const text = readFileSync(path.resolve(cwd, file), 'utf8');
    // Removed on node's thread pool while the work goes on (freeing a large file takes a
    // while); removeScriptDiff makes sure at the end.
    unlink(path.resolve(cwd, file), () => undefined);
    return parseZeroContextPatch(text);
  } catch {
    // Unreadable: our own diff.
    return undefined;
  }
}

/** Removes the script's diff file (see {@link scriptDiff}), read or not. */
function removeScriptDiff(cwd: string, env: HookEnv): void {
  const file = env[scriptProtocol.stagedDiff];
  try {
    if (file) unlinkSync(path.resolve(cwd, file));
  } catch {
    // Gone already; or still open on a system that cannot remove an open file, and then the
    // next commit overwrites it.
  }
}

/** The size of a ledger file with no entry: a larger one very likely has some. */
const emptyLedgerSize = serializeLedger(emptyLedger()).length;

/**
 * Whether the ledger in `gitDir` likely has entries, told from its size alone: enough to decide
 * whether to start the staged diff before the ledger is parsed (a wrong guess costs a diff
 * stopped unused, or one started a few milliseconds later).
 */
function ledgerLikelyHasEntries(gitDir: string): boolean {
  try {
    return statSync(new LedgerStore(ledgerDirIn(gitDir)).file).size > emptyLedgerSize;
  } catch {
    return false;
  }
}

/**
 * Computes the trailers of the commit being prepared. `message` is the message as git wrote
 * it to the file (its AI-Provenance id is kept, except where the commit is a copy of another).
 *
 * Speed matters here (it runs on every commit, before the editor opens). In a plain commit
 * at the root of a main worktree, the git dir is known without `git rev-parse` (see
 * {@link localGitDir}) and HEAD is not needed: two git calls, the staged diff and
 * interpret-trailers, and the hook script runs both beside node (src/git/hooks.ts). When node
 * runs the diff itself, it starts before the ledger is read, and the ledger's side of the
 * attribution is computed while it runs (see {@link attributeChange}); otherwise it starts
 * beside `git rev-parse`, not after it.
 */
async function computeTrailers(io: Io, env: HookEnv, message: string, source: string | undefined, sha: string | undefined): Promise<PreparedTrailers> {
  const cwd = io.cwd;
  trace('prepare-commit-msg start');
  const amendFlag = await isAmend(source, sha, env.AIP_GIT_PID ? Number(env.AIP_GIT_PID) : undefined);
  const local = localGitDir(cwd, env);
  // Started on a guess that the ledger has entries (or the commit rewrites one whose note
  // counts): confirmed or stopped once the ledger and the sequencer state are read.
  let diff = local && (amendFlag || source === 'squash' || ledgerLikelyHasEntries(local)) ? startStaged(cwd, amendFlag, env) : undefined;
  try {
    const read = (gitDir: string, ledgerDir: string): Promise<[SequencerState, LedgerData]> =>
      Promise.all([sequencerState(gitDir, env.GIT_REFLOG_ACTION), new LedgerStore(ledgerDir, io.err).readNow()]);
    const early = local ? await read(local, ledgerDirIn(local)) : undefined;
    trace('ledger read');
    const earlyAmend = amendFlag || early?.[0].squashSource !== undefined;
    const worthIt = early !== undefined && (Object.keys(early[1].files).length > 0 || earlyAmend || early[0].cherryPick !== undefined || source === 'squash');
    if (diff && (!worthIt || diff.amend !== earlyAmend)) {
      diff.stop();
      diff = undefined;
    }
    if (worthIt && !diff) diff = startStaged(cwd, earlyAmend, env);
    let repo: HookRepo;
    let state: SequencerState;
    let fullLedger: LedgerData;
    if (local && early && !earlyAmend) {
      // HEAD is only needed for an amend: left unresolved here.
      repo = { root: cwd, gitDir: local, ledgerDir: ledgerDirIn(local), head: undefined };
      [state, fullLedger] = early;
    } else {
      repo = await runGit(cwd, hookRepo(cwd));
      trace('rev-parse');
      if (early && local === repo.gitDir && ledgerDirIn(local) === repo.ledgerDir) [state, fullLedger] = early;
      else {
        [state, fullLedger] = await read(repo.gitDir, repo.ledgerDir);
        diff?.stop();
        diff = undefined;
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
    if (noteCommits.length > 0 && sources.length === 0 && provenanceIds(message).length > 0) return { repo, trailers: undefined, amend };
    if (Object.keys(ledger.files).length === 0 && sources.length === 0) return { repo, trailers: [], amend };
    // The early diff counts only if its base was the right one (no HEAD: nothing to amend).
    const started = diff && diff.amend === amend ? diff.patches() : undefined;
    const patches = started === undefined ? staged(cwd, amend) : started instanceof Promise ? started.catch(() => staged(cwd, amend)) : started;
    const result = await attributeChange({ cwd, root: repo.root, patches, target: { spec: (p) => `:${p}` }, ledger, notes: sources, linesOnly: true });
    trace('attributed');
    // A copy of another commit gets its own record id; a rewrite of the same commit keeps it.
    const copy = (state.cherryPick !== undefined && !state.rebase) || (source === 'commit' && !amend);
    // `--amend -m …` replaces the message: the id is then HEAD's, from its note.
    const headId = amend ? notes.find((n) => n.commit === repo.head)?.records[0]?.id : undefined;
    const existing = copy ? undefined : (provenanceIds(message).pop() ?? headId);
    return { repo, trailers: buildTrailers(result.count, existing ?? randomUuid()), files: result.files, amend, patches };
  } finally {
    // Nothing started here outlives it: a diff that turned out unneeded is stopped.
    diff?.stop();
  }
}

/** What {@link writeTrailers} did to the message. */
interface TrailersWritten {
  readonly repo: HookRepo;
  /** The commit replaces HEAD (`--amend`, a rebase squash or fixup). */
  readonly amend: boolean;
  /** The AI-Provenance id the message gets (possibly from the hook script, after node exits); undefined: read the message. */
  readonly id: string | undefined;
  /** The trailers wait for commit-msg (the message was empty). */
  readonly pending: boolean;
  /** The staged diff counted, if one was. */
  readonly patches: Promise<FilePatch[]> | FilePatch[] | undefined;
}

/**
 * `prepare-commit-msg <file> [<source> [<sha>]]`: replaces our trailers in the message with
 * those of the staged change. When the message is still empty (the editor is about to open on
 * it), the trailers wait for `commit-msg`: written now, they would make a message the user
 * left empty to abort the commit look non-empty. Then it prepares the commit's note for
 * post-commit's script (src/cli/gitHooks/preparedCommit.ts), so that the commit starts node
 * once: the hook script runs node here only when commit-msg will not run (`--no-verify`, a
 * cherry-pick or another sequencer pick) or it cannot tell; otherwise commit-msg does all of
 * this (see {@link commitMsg}).
 */
export async function prepareCommitMsg(args: readonly string[], io: Io, env: HookEnv): Promise<number> {
  const written = await writeTrailers(args, io, env);
  if (!written || written.pending) return 0;
  const state = await sequencerState(written.repo.gitDir, env.GIT_REFLOG_ACTION);
  // A rebase's commits get their notes from post-rewrite.
  if (state.rebase) return 0;
  await prepareOrLeave(io, env, written.repo, path.resolve(io.cwd, args[0]!), written.amend, written.id, written.patches);
  return 0;
}

/** Prepares the commit for post-commit's script; on failure leaves it all to post-commit's node, with one warning line. */
async function prepareOrLeave(io: Io, env: HookEnv, repo: RepoInfo, msgFile: string, amend: boolean, id: string | undefined, patches?: Promise<FilePatch[]> | FilePatch[]): Promise<void> {
  try {
    await prepareCommitFiles(io, env, repo, msgFile, amend, id, patches);
  } catch (e) {
    dropPrepared(repo.ledgerDir);
    io.err(`ai-provenance: could not prepare the commit's note (${e instanceof Error ? e.message : String(e)}); post-commit writes it`);
  }
}

/** {@link prepareCommitMsg}'s trailers; undefined when there is no message file. */
async function writeTrailers(args: readonly string[], io: Io, env: HookEnv): Promise<TrailersWritten | undefined> {
  const [file, source, sha] = args;
  if (!file) return undefined;
  const msgFile = path.resolve(io.cwd, file);
  const message = readFileSync(msgFile, 'utf8');
  try {
    const { repo, trailers, files, amend, patches } = await computeTrailers(io, env, message, source || undefined, sha || undefined);
    const done = (pending: boolean, id?: string): TrailersWritten => ({ repo, amend, id, pending, patches });
    // Friction judges AI lines by a policy staged or in HEAD (commitFriction allows at once
    // without either): without one, commit-msg is left nothing to judge, and its hook script
    // then starts no node (src/git/hooks.ts).
    const judged = files !== undefined && files.length > 0 && (await policyMayApply(repo.root)) ? files : [];
    // For commit-msg's friction (src/cli/gitHooks/friction.ts), whatever happens to the message; once
    // the trailers are handed to the hook script, so that git adds them meanwhile.
    let saved = false;
    const save = (): void => {
      if (saved) return;
      saved = true;
      saveStagedAiLines(repo.ledgerDir, env, judged);
      removeFileSync(pendingFile(repo));
    };
    try {
      if (!trailers) return done(false);
      const stripped = stripOwnTrailers(message);
      const commentChar = detectCommentChar(message);
      if (stripped.removed > 0) await fs.writeFile(msgFile, stripped.message);
      if (trailers.length === 0) return done(false);
      if (!hasContent(stripped.message, commentChar ?? '#')) {
        save();
        await fs.mkdir(repo.ledgerDir, { recursive: true });
        const pending: Pending = { trailers };
        await fs.writeFile(pendingFile(repo), JSON.stringify(pending));
        return done(true);
      }
      const id = trailers.find((t) => t.key === trailerKeys.provenance)?.value;
      const add = interpretTrailers(msgFile, trailers, commentChar);
      // The hook script runs git in the folder node runs in, and reads one argument a line.
      if (!(repo.root === io.cwd && add.args.every((a) => !/[\n\r\0]/.test(a)) && handBack(env, add.args))) {
        save();
        await runGit(repo.root, add);
      }
      trace('trailers written');
      return done(false, id);
    } finally {
      save();
    }
  } finally {
    removeScriptDiff(io.cwd, env);
  }
}

/**
 * Whether a policy file is staged or in HEAD: what commit friction needs to judge anything
 * (see commitFriction in src/cli/gitHooks/friction.ts). A file in the worktree alone counts
 * too, and so does any failure to tell: then commit-msg judges, as it always did.
 */
async function policyMayApply(root: string): Promise<boolean> {
  if (existsSync(path.join(root, policyFileName))) return true;
  try {
    const specs = [`:${policyFileName}`, `HEAD:${policyFileName}`];
    const texts = await runGit(root, catFileBatch(specs));
    return specs.some((s) => texts.get(s) !== undefined);
  } catch {
    return true;
  }
}

/**
 * Hands `args` to the hook script, which runs `git interpret-trailers` with them (see
 * `prepareCommitMsgRun` in src/git/hooks.ts); false when the script gave no descriptor for them
 * or it failed, and then the script runs nothing (it waits for the end line).
 */
function handBack(env: HookEnv, args: readonly string[]): boolean {
  const fd = Number(env[scriptProtocol.trailersFd]);
  if (!Number.isSafeInteger(fd) || fd < 3) return false;
  const data = Buffer.from([...args, scriptProtocol.trailersEnd].map((a) => a + '\n').join(''));
  try {
    for (let at = 0; at < data.length; ) at += writeSync(fd, data, at);
  } catch {
    return false;
  }
  // Closed now: the script runs git as soon as it sees the end, while node exits.
  try {
    closeSync(fd);
  } catch {
    // Closed anyway when node exits.
  }
  return true;
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
 * (src/cli/gitHooks/friction.ts), whose refusal is exit code {@link frictionBlockCode}. When
 * prepare-commit-msg's script left it the work (see `deferMarker` in src/git/hooks.ts), it first
 * writes the trailers as prepare-commit-msg would have, on the final message, and last prepares
 * the note post-commit's script attaches: the commit's one node run.
 */
export async function commitMsg(args: readonly string[], io: Io, env: HookEnv): Promise<number> {
  const [file] = args;
  if (!file) return 0;
  const repo = await hookRepoInfo(io.cwd, env);
  const msgFile = path.resolve(io.cwd, file);
  const deferred = takeDeferred(repo.ledgerDir, env);
  let amend = false;
  let patches: Promise<FilePatch[]> | FilePatch[] | undefined;
  if (deferred) {
    const message = readFileSync(msgFile, 'utf8');
    // Empty: git is about to abort the commit for its empty message; leave it so.
    if (!hasContent(message, detectCommentChar(message) ?? '#')) return 0;
    try {
      const written = await writeTrailers([file, deferred.source, deferred.sha], io, env);
      amend = written?.amend ?? false;
      patches = written?.patches;
    } catch (e) {
      // As a failing prepare-commit-msg would: the commit goes on without trailers, friction still judges it.
      io.err(`ai-provenance: prepare-commit-msg's trailers skipped: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  let pending: Pending | undefined;
  try {
    pending = JSON.parse(await fs.readFile(pendingFile(repo), 'utf8')) as Pending;
  } catch {
    pending = undefined;
  }
  const trailers = pending && Array.isArray(pending.trailers) ? pending.trailers.filter(isOurTrailer) : [];
  if (trailers.length > 0) {
    await fs.rm(pendingFile(repo), { force: true });
    const message = await fs.readFile(msgFile, 'utf8');
    const commentChar = detectCommentChar(message);
    // Still empty: git is about to abort the commit for its empty message; leave it so.
    if (hasContent(message, commentChar ?? '#')) {
      const stripped = stripOwnTrailers(message);
      if (stripped.removed > 0) await fs.writeFile(msgFile, stripped.message);
      await runGit(repo.root, interpretTrailers(msgFile, trailers, commentChar));
    }
  }
  if ((await commitFriction(repo, msgFile, io, env)) === 'block') return frictionBlockCode;
  if (deferred) await prepareOrLeave(io, env, repo, msgFile, amend, undefined, patches);
  return 0;
}

/**
 * The source and commit prepare-commit-msg was given, when its script left the work to
 * commit-msg for this git process (see `deferMarker` in src/git/hooks.ts); the marker is removed.
 */
function takeDeferred(ledgerDir: string, env: HookEnv): { source: string; sha: string } | undefined {
  const file = path.join(ledgerDir, deferMarker);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  removeFileSync(file);
  const [pid, source = '', sha = ''] = text.split('\n');
  return pid && pid === env.AIP_GIT_PID ? { source, sha } : undefined;
}
