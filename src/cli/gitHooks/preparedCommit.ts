/**
 * A commit with AI lines starts node once (issue #15): that run (commit-msg's, or
 * prepare-commit-msg's when commit-msg will not run) also computes what post-commit would,
 * the new commit's note and the ledger without the committed lines, and leaves both in the
 * ledger folder (`preparedCommit` in src/git/hooks.ts); post-commit's script attaches the note
 * with `git notes add` and renames the ledger into place, in sh.
 *
 * What is prepared is what post-commit computes from the commit once it exists: the commit's
 * change against its first parent is the index against HEAD (HEAD's parent for an amend), its
 * files are the index's, and the note's id is the message's AI-Provenance id. The commit's id
 * is not known yet: the note holds a placeholder that post-commit's script replaces. The
 * prepared files name the git process, the index's tree and the first parent, and are used only
 * by a commit that matches all three; anything else (an aborted commit, another writer of the
 * ledger in between, a commit that already has a note) falls back to post-commit's node.
 */
import { linkSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { LedgerData } from '../../core/ledger/ledger';
import { emptyLedger, parseLedger, serializeLedger } from '../../core/ledger/ledger';
import type { FilePatch } from '../../core/commit/patch';
import { serializeRecord } from '../../core/commit/notes';
import { provenanceIds, squashedCommits } from '../../core/commit/trailers';
import type { RepoInfo } from '../../git/commands';
import { emptyTree, resolveCommit, stagedPatch, writeTree } from '../../git/commands';
import { preparedCommit, preparedRevision } from '../../git/hooks';
import { readNote } from '../../git/notes';
import { runGit } from '../../git/runner';
import { sequencerState } from '../../git/gitState';
import { attributeChange } from '../../node/attribution';
import type { NoteSource } from '../../node/attribution';
import type { HookEnv } from '../../node/handoff';
import { removeFileSync } from '../../node/removeFile';
import { randomUuid } from '../../node/uuid';
import type { Io } from '../io';
import { committedLedger, recordOf } from './notes';
import { trace } from './trace';

/** `git diff --cached` against HEAD, or for an amend against HEAD's parent (or nothing). */
export async function staged(cwd: string, amend: boolean, signal?: AbortSignal): Promise<FilePatch[]> {
  const options = signal ? { signal } : {};
  if (!amend) return runGit(cwd, stagedPatch(), options);
  const parent = await runGit(cwd, resolveCommit('HEAD^1'), options);
  return runGit(cwd, stagedPatch(parent ?? (await runGit(cwd, emptyTree(), options))), options);
}

/** Removes the prepared files of `ledgerDir` (the key first: without it the others are never used). */
export function dropPrepared(ledgerDir: string): void {
  for (const f of [preparedCommit.key, preparedCommit.note, preparedCommit.ledger, preparedCommit.base]) removeFileSync(path.join(ledgerDir, f));
}

/**
 * Prepares the note and the ledger of the commit being made from the index, for post-commit's
 * script (see the top of this file). `amend`: the commit replaces HEAD; `id`: the AI-Provenance
 * id the message gets (undefined: the one in `msgFile`, as post-commit reads it); `counted`: the
 * staged diff the trailers were counted from (against HEAD's parent when `amend`), if any.
 */
export async function prepareCommitFiles(io: Io, env: HookEnv, repo: RepoInfo, msgFile: string, amend: boolean, id: string | undefined, counted?: Promise<FilePatch[]> | FilePatch[]): Promise<void> {
  const dir = repo.ledgerDir;
  const file = (name: string): string => path.join(dir, name);
  dropPrepared(dir);
  // Post-commit's script tells this commit by the git process that runs both hooks.
  const pid = env.AIP_GIT_PID;
  if (!pid || !/^\d+$/.test(pid)) return;
  const cwd = repo.root;
  const state = await sequencerState(repo.gitDir, env.GIT_REFLOG_ACTION);
  const replaces = amend || state.squashSource !== undefined;
  const message = readFileSync(msgFile, 'utf8');
  mkdirSync(dir, { recursive: true });
  // The ledger is read through a hard link made first: post-commit's script renames the
  // prepared ledger over ledger.json only while ledger.json is still this very file.
  let ledger: LedgerData | undefined;
  if (!state.automated) {
    try {
      linkSync(file('ledger.json'), file(preparedCommit.base));
      ledger = parseLedger(readFileSync(file(preparedCommit.base), 'utf8'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        // A file system without hard links, or a ledger that does not parse: post-commit's node does it.
        removeFileSync(file(preparedCommit.base));
        return;
      }
      ledger = emptyLedger();
    }
  }
  const [parent, tree, patches] = await Promise.all([runGit(cwd, resolveCommit(replaces ? 'HEAD^1' : 'HEAD')), runGit(cwd, writeTree()), counted !== undefined && replaces === amend ? counted : staged(cwd, replaces)]);
  // As post-commit reads them: the commits this one copies or folds in (the new commit has no note yet).
  const extra = [state.squashSource, state.cherryPick, ...squashedCommits(message)].filter((c): c is string => c !== undefined);
  const notes: NoteSource[] = await Promise.all(extra.map(async (c) => ({ commit: c, records: await readNote(cwd, c) })));
  const a = await attributeChange({ cwd, root: repo.root, patches, target: { spec: (p) => `:${p}` }, ledger, notes });
  trace('commit prepared');
  const now = io.now();
  const record = recordOf(preparedRevision, id ?? provenanceIds(message).pop() ?? randomUuid(), now, a);
  const next = ledger && Object.keys(ledger.files).length > 0 ? committedLedger(ledger, a, patches, now) : undefined;
  if (!next) removeFileSync(file(preparedCommit.base));
  if (record) writeFileSync(file(preparedCommit.note), serializeRecord(record));
  if (next) writeFileSync(file(preparedCommit.ledger), serializeLedger(next));
  // The key last, whole: a half-prepared commit is never used.
  const tmp = `${file(preparedCommit.key)}.${process.pid}.tmp`;
  writeFileSync(tmp, `${pid}\n${tree}\n${parent ?? ''}\n${record ? 1 : 0}\n${next ? 1 : 0}\n`);
  renameSync(tmp, file(preparedCommit.key));
}
