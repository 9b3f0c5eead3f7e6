/**
 * The hooks that keep notes: `post-commit` writes the new commit's record and takes its lines
 * out of the ledger; `post-rewrite` (amend, rebase) rebuilds the records of rewritten commits
 * from the records of the commits they replace; `post-checkout` and `post-merge` re-anchor the
 * ledger and merge notes fetched from remotes.
 *
 * Carrying a record to a rewritten commit: a record's lines are lines of the file at the
 * record's `vcs.revision`. For each file, that version and the new commit's version are
 * compared with a line diff; a line keeps its attribution when the diff matches it unchanged.
 * When several commits become one (squash, fixup), each old record is carried the same way
 * and the results are layered, newest first, then kept to the lines the new commit adds
 * against its first parent. Blame could not do this: the old commits are not ancestors of the
 * new one, so `git blame` would give every line of the squash to the squash itself.
 */
import { readFileSync, renameSync } from 'node:fs';
import * as path from 'node:path';
import { ledgerLines } from '../../core/commit/changeLines';
import type { LedgerData, LedgerFile } from '../../core/ledger/ledger';
import { emptyLedger } from '../../core/ledger/ledger';
import { clearLines, refreshEntry } from '../../core/ledger/ledgerUpdate';
import { renameLedgerPaths } from '../../core/ledger/ledgerRename';
import { mapLines, splitLines } from '../../core/lines/lineMap';
import type { TraceRecord } from '../../core/commit/notes';
import { buildRecord } from '../../core/commit/notes';
import type { FilePatch, LineSpanTuple } from '../../core/commit/patch';
import { runLines } from '../../core/commit/patch';
import { provenanceIds, squashedCommits } from '../../core/commit/trailers';
import type { CommitInfo, HookRepo } from '../../git/commands';
import { commitInfo, commitInfos, commitPatches, hookRepo } from '../../git/commands';
import { pickQueue } from '../../git/hooks';
import { removeFileSync } from '../../node/removeFile';
import { gitRedirected, hookRepoInfo, mayHaveRemoteNotes } from '../../git/gitDir';
import { contentHash } from '../../node/hash';
import { LedgerStore } from '../../node/ledgerStore';
import { mergeRemoteNotes, readNote, readNotes, writeNote, writeNotes } from '../../git/notes';
import { batchedTextReader } from '../../git/batchedReads';
import { runGit } from '../../git/runner';
import { randomUuid } from '../../node/uuid';
import type { ChangeAttribution, NoteSource } from '../../node/attribution';
import { attributeChange } from '../../node/attribution';
import { sequencerState } from '../../git/gitState';
import type { HookEnv } from '../../node/handoff';
import type { Io } from '../io';
import { trace } from './trace';

declare const AIP_VERSION: string | undefined;
const toolVersion = typeof AIP_VERSION === 'string' ? AIP_VERSION : '0.0.0-dev';

/** The ledger writer name of git hooks (see LedgerFile.writer). */
const writer = 'cli:git-hook';

/** Builds the record of `commit` from an attribution; undefined when it has no line. */
export function recordOf(commit: string, id: string, now: number, a: ChangeAttribution): TraceRecord | undefined {
  if (a.files.length === 0) return undefined;
  return buildRecord(
    { id, now, revision: commit, toolVersion, count: a.count, files: a.files.map((f) => ({ path: f.path, lines: f.lines, text: splitLines(f.text) })) },
    contentHash,
  );
}

/** Whether two records say the same thing (the timestamp aside). */
function sameRecord(a: TraceRecord | undefined, b: TraceRecord | undefined): boolean {
  if (!a || !b) return a === b;
  return a.id === b.id && a.vcs?.revision === b.vcs?.revision && JSON.stringify(a.files) === JSON.stringify(b.files) && JSON.stringify(a.metadata) === JSON.stringify(b.metadata);
}

/**
 * The working-tree lines of a ledger entry that a commit took: lines that are, unchanged, one
 * of the lines the commit added.
 */
function committedLines(entry: LedgerFile, worktree: string, committed: string, added: readonly LineSpanTuple[]): number[] {
  const lines = ledgerLines(entry, worktree, contentHash).lines;
  if (lines.length === 0) return [];
  const map = worktree === committed ? undefined : mapLines(splitLines(worktree), splitLines(committed));
  const addedSet = new Set(runLines(added));
  return lines.filter((l) => addedSet.has(map ? map[l.line - 1]! + 1 : l.line)).map((l) => l.line);
}

/**
 * The ledger without the lines a commit took (the change `a` attributed, with its `patches`),
 * or undefined when it takes none. Files the commit saw moved carry their entries along: what
 * stays uncommitted stays AI there.
 */
export function committedLedger(current: LedgerData, a: ChangeAttribution, patches: readonly FilePatch[], now: number): LedgerData | undefined {
  const byPath = new Map(patches.map((p) => [p.path, p]));
  const moved = renameLedgerPaths(current, a.moves);
  const ledger = moved ?? current;
  const files = { ...ledger.files };
  let changed = moved !== undefined;
  for (const [p, worktree] of a.worktree) {
    const committed = a.targets.get(p);
    const patch = byPath.get(p);
    const entry = files[p];
    if (committed === undefined || !patch || !entry) continue;
    const lines = committedLines(entry, worktree, committed, patch.addedRuns);
    if (lines.length === 0) continue;
    const res = clearLines(entry, worktree, lines, contentHash, now, writer);
    if (res.entry) files[p] = res.entry;
    else delete files[p];
    changed = true;
  }
  return changed ? { ...ledger, files } : undefined;
}

/** Takes the committed lines out of the ledger; ranges not committed stay. */
async function removeCommitted(store: LedgerStore, a: ChangeAttribution, patches: readonly FilePatch[], now: number): Promise<void> {
  const paths = new Set(patches.map((p) => p.path));
  if (a.moves.length === 0 && ![...a.worktree.keys()].some((p) => a.targets.has(p) && paths.has(p))) return;
  await store.update((current) => committedLedger(current, a, patches, now));
}

/** `post-commit`: the new commit's note, and its lines out of the ledger. */
export async function postCommit(io: Io, env: HookEnv): Promise<number> {
  const repo = await runGit(io.cwd, hookRepo(io.cwd));
  // Picks of a cherry-pick or revert of a range left to one run (see pickQueue in src/git/hooks.ts).
  const queued = await notePickQueue(io, repo);
  if (env[pickQueue.onlyEnv] === '1') return 0;
  const head = repo.head;
  if (!head || queued.has(head)) return 0;
  const cwd = repo.root;
  const store = new LedgerStore(repo.ledgerDir, io.err);
  const [state, info, patches, ledger, own] = await Promise.all([
    sequencerState(repo.gitDir, env.GIT_REFLOG_ACTION),
    runGit(cwd, commitInfo(head)),
    runGit(cwd, commitPatches([head])),
    store.read(),
    readNote(cwd, head),
  ]);
  // Commits the sequencer makes on its own (rebase picks, squashes) replay other commits: the
  // working tree's ledger says nothing about them.
  const automated = state.automated;
  const files = patches[0]?.files ?? [];
  const extra = [state.squashSource, state.cherryPick, ...squashedCommits(info.message)].filter((c): c is string => c !== undefined && c !== head);
  const notes: NoteSource[] = [{ commit: head, records: own }, ...(await Promise.all(extra.map(async (c) => ({ commit: c, records: await readNote(cwd, c) }))))];
  const a = await attributeChange({ cwd, root: repo.root, patches: files, target: { spec: (p) => `${head}:${p}` }, ledger: automated ? undefined : ledger, notes });
  const id = provenanceIds(info.message).pop() ?? own[0]?.id ?? randomUuid();
  const record = recordOf(head, id, io.now(), a);
  if (record || own.length > 0) await writeNote(cwd, head, record);
  if (!automated) await removeCommitted(store, a, files, io.now());
  return 0;
}

/**
 * Writes the notes of the picks waiting in the pick queue (see pickQueue in src/git/hooks.ts),
 * each as post-commit would have when its commit was made: nothing was recorded then (the
 * script queues a pick only then), the picked commit's note is carried onto it, and the id is
 * the one its message got. Returns the commits it wrote notes for.
 */
async function notePickQueue(io: Io, repo: HookRepo): Promise<Set<string>> {
  const done = new Set<string>();
  const queue = path.join(repo.ledgerDir, pickQueue.file);
  // Taken by renaming, so that two runs never write one queue twice.
  const taken = `${queue}.${process.pid}.taken`;
  try {
    renameSync(queue, taken);
  } catch {
    return done;
  }
  try {
    const pairs = readFileSync(taken, 'utf8')
      .split('\n')
      .map((l) => l.trim().split(' '))
      .filter((w): w is [string, string] => w.length === 2 && /^[0-9a-f]{40,64}$/.test(w[0]!) && /^[0-9a-f]{40,64}$/.test(w[1]!));
    if (pairs.length === 0) return done;
    const cwd = repo.root;
    const news = pairs.map(([, n]) => n);
    // A handful of git calls for the whole queue, not several a pick (issue #15).
    const [patches, infos] = await Promise.all([runGit(cwd, commitPatches(news)), runGit(cwd, commitInfos(news))]);
    const extras = await Promise.all(pairs.map(async ([picked, head]) => [picked, ...squashedCommits(await messageOf(cwd, infos, head))].filter((c) => c !== head)));
    const allNotes = await readNotes(cwd, [...news, ...extras.flat()]);
    const patchOf = new Map(patches.map((p) => [p.commit, p.files]));
    trace('pick queue read');
    const readTexts = batchedTextReader(cwd);
    const writes = new Map<string, TraceRecord | undefined>();
    await Promise.all(
      pairs.map(async ([, head], i) => {
        const own = allNotes.get(head) ?? [];
        const notes: NoteSource[] = [{ commit: head, records: own }, ...extras[i]!.map((c) => ({ commit: c, records: allNotes.get(c) ?? [] }))];
        const a = await attributeChange({ cwd, root: repo.root, patches: patchOf.get(head) ?? [], target: { spec: (p) => `${head}:${p}` }, ledger: emptyLedger(), notes, readTexts });
        const id = provenanceIds(await messageOf(cwd, infos, head)).pop() ?? own[0]?.id ?? randomUuid();
        const record = recordOf(head, id, io.now(), a);
        if (record || own.length > 0) writes.set(head, record);
      }),
    );
    await writeNotes(cwd, writes);
    for (const [, head] of pairs) done.add(head);
    trace('pick queue noted');
    return done;
  } finally {
    removeFileSync(taken);
  }
}

/** A commit's message from a batch read (see commitInfos), or read alone where the batch had none. */
async function messageOf(cwd: string, infos: ReadonlyMap<string, CommitInfo | undefined>, commit: string): Promise<string> {
  return (infos.get(commit) ?? (await runGit(cwd, commitInfo(commit)))).message;
}

/** Parses post-rewrite's stdin: `<old> <new> [<extra>]` lines, grouped by new commit. */
export function parseRewrites(input: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of input.split('\n')) {
    const [oldSha, newSha] = line.trim().split(/\s+/);
    if (!oldSha || !newSha || !/^[0-9a-f]{40,64}$/.test(oldSha) || !/^[0-9a-f]{40,64}$/.test(newSha)) continue;
    const olds = out.get(newSha) ?? [];
    olds.push(oldSha);
    out.set(newSha, olds);
  }
  return out;
}

/**
 * `post-rewrite amend|rebase` with `<old> <new>` lines on stdin: every new commit's record is
 * rebuilt from its own record (if our post-commit wrote one) and the records of the commits
 * it replaces, carried onto it (see the top of this file). Git's own copy of notes
 * (notes.rewriteRef) is the fallback when this hook cannot run; it is replaced here.
 */
export async function postRewrite(args: readonly string[], io: Io): Promise<number> {
  const input = await io.stdin({ timeoutMs: 10_000 });
  const rewrites = parseRewrites(input);
  if (rewrites.size === 0) return 0;
  const repo = await runGit(io.cwd, hookRepo(io.cwd));
  const cwd = repo.root;
  if (args[0] === 'rebase') await mergeRemoteNotes(cwd, (m) => io.err(`ai-provenance: ${m}`));
  const news = [...rewrites.keys()];
  const olds = [...rewrites.values()].flat();
  const [notes, patches] = await Promise.all([readNotes(cwd, [...news, ...olds]), runGit(cwd, commitPatches(news))]);
  const patchOf = new Map(patches.map((p) => [p.commit, p.files]));
  // Every rewritten commit at once, sharing git calls: the blobs through one cat-file, the
  // messages through another, the notes written as one notes commit (issue #15: a rebase of
  // hundreds of commits started git several times per commit here).
  const readTexts = batchedTextReader(cwd);
  const withNotes = [...rewrites].filter(([newSha, oldShas]) => notes.has(newSha) || oldShas.some((c) => notes.has(c)));
  const infos = withNotes.length > 0 ? await runGit(cwd, commitInfos(withNotes.map(([newSha]) => newSha))) : new Map<string, undefined>();
  const writes = new Map<string, TraceRecord | undefined>();
  await Promise.all(
    withNotes.map(async ([newSha, oldShas]) => {
      const onNew = notes.get(newSha) ?? [];
      const oldSources = oldShas
        .slice()
        .reverse()
        .map((c) => ({ commit: c, records: notes.get(c) ?? [] }))
        .filter((s) => s.records.length > 0);
      if (onNew.length === 0 && oldSources.length === 0) return;
      // Our own record of the new commit first (its lines are exact), then what git copied onto
      // it, then the old commits' records, the latest first.
      const native = onNew.filter((r) => r.vcs?.revision === newSha);
      const copied = onNew.filter((r) => r.vcs?.revision !== newSha);
      const sources: NoteSource[] = [{ commit: newSha, records: native }, { commit: newSha, records: copied }, ...oldSources];
      const a = await attributeChange({ cwd, root: repo.root, patches: patchOf.get(newSha) ?? [], target: { spec: (p) => `${newSha}:${p}` }, ledger: undefined, notes: sources, readTexts });
      const id = native[0]?.id ?? provenanceIds(await messageOf(cwd, infos, newSha)).pop() ?? oldSources[0]?.records[0]?.id ?? randomUuid();
      const record = recordOf(newSha, id, io.now(), a);
      if (native.length === 1 && copied.length === 0 && sameRecord(record, native[0])) return;
      if (record || onNew.length > 0) writes.set(newSha, record);
    }),
  );
  await writeNotes(cwd, writes);
  return 0;
}

/**
 * `post-checkout` and `post-merge`: re-anchors the ledger on the files as they now are, keeping
 * (and reporting) ranges whose text is gone, and merges remote notes. It runs on every checkout,
 * so it starts git only where it must: the git dir is read from `.git` (git runs hooks at the
 * top level), files are read synchronously, the ledger is locked and written only when an
 * entry changed, and notes are merged only when remote notes refs may exist.
 */
export async function afterCheckout(io: Io, env: HookEnv): Promise<number> {
  const repo = await hookRepoInfo(io.cwd, env);
  const store = new LedgerStore(repo.ledgerDir, io.err);
  const current = await store.readNow();
  trace('ledger read');
  if (Object.keys(current.files).length > 0) {
    const texts = new Map<string, string | undefined>();
    const textOf = (p: string): string | undefined => {
      if (!texts.has(p)) texts.set(p, readTextFile(path.join(repo.root, p)));
      return texts.get(p);
    };
    const now = io.now();
    // Computed on the ledger as read; redone under the lock (on the ledger then) only when
    // something changed, so that a checkout that moved nothing writes nothing.
    const refresh = (ledger: LedgerData): { next: LedgerData | undefined; kept: number; keptFiles: number } => {
      const files = { ...ledger.files };
      let changed = false;
      let kept = 0;
      let keptFiles = 0;
      for (const [p, entry] of Object.entries(ledger.files)) {
        const text = textOf(p);
        if (text === undefined) {
          kept += entry.ranges.length;
          keptFiles++;
          continue;
        }
        const res = refreshEntry(entry, text, contentHash, now, writer);
        if (res.kept > 0) {
          kept += res.kept;
          keptFiles++;
        }
        if (!res.changed) continue;
        changed = true;
        if (res.entry) files[p] = res.entry;
        else delete files[p];
      }
      return { next: changed ? { ...ledger, files } : undefined, kept, keptFiles };
    };
    let result = refresh(current);
    if (result.next) {
      await store.update((ledger) => {
        result = refresh(ledger);
        return result.next;
      });
    }
    trace('ledger refreshed');
    if (result.kept > 0) {
      io.err(`ai-provenance: ${result.kept} recorded AI range(s) in ${result.keptFiles} file(s) are not in the working tree now; they are kept and count again when their text is back (git provenance status).`);
    }
  }
  if (gitRedirected(env) || mayHaveRemoteNotes(repo.gitDir)) await mergeRemoteNotes(repo.root, (m) => io.err(`ai-provenance: ${m}`));
  return 0;
}

/** A working-tree file's text; undefined when it is missing or unreadable. */
function readTextFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
