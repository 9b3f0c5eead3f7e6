/**
 * Which added lines of a change (the staged change, a commit) are AI-written: the ledger's
 * lines (over the working tree) and the lines of earlier notes (over the commits they were
 * written for) carried onto the change's version of each file, kept to the lines it added.
 * The pure work is in src/core/commit/changeLines.ts; this gathers the texts with few git calls.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { AttributedLine, ChangeCount, LineSource } from '../core/commit/changeLines';
import { attributeVersion, blobRuns, countChange, ledgerLines, overlay, restrictRuns, runsToLines } from '../core/commit/changeLines';
import type { LineRun } from '../core/lines/lines';
import { toRuns } from '../core/lines/lines';
import type { LedgerData, LedgerFile } from '../core/ledger/ledger';
import type { TraceRecord } from '../core/commit/notes';
import { recordLines } from '../core/commit/notes';
import type { FilePatch } from '../core/commit/patch';
import { runLength } from '../core/commit/patch';
import type { TextReader } from '../git/batchedReads';
import { catFileBatch } from '../git/commands';
import type { PathMove } from '../core/ledger/ledgerRename';
import { findMoves, renameLedgerPaths } from '../core/ledger/ledgerRename';
import { contentHash, gitBlobId } from './hash';
import { runGit } from '../git/runner';

/** The version of the files a change produced. */
export interface ChangeTarget {
  /** The cat-file name of a file of the target: `:path` for the index, `<sha>:path`. */
  readonly spec: (relPath: string) => string;
}

/** The notes of one commit, as a source of attribution. */
export interface NoteSource {
  /** The commit the note is attached to (used when a record names no revision). */
  readonly commit: string;
  readonly records: readonly TraceRecord[];
}

/** The attributed lines of one file of the change. */
export interface FileAttribution {
  readonly path: string;
  readonly lines: AttributedLine[];
  /** The file's text in the target. */
  readonly text: string;
}

/** What {@link attributeChange} found, when only the lines are wanted (`linesOnly`): runs of them. */
export interface ChangeLines {
  readonly files: ReadonlyArray<{ readonly path: string; readonly runs: readonly LineRun[] }>;
  readonly count: ChangeCount;
}

/** What {@link attributeChange} found. */
export interface ChangeAttribution {
  readonly files: FileAttribution[];
  readonly count: ChangeCount;
  /** Working-tree texts read for ledger files, by path (for the ledger update after a commit). */
  readonly worktree: ReadonlyMap<string, string>;
  /** Target texts read, by path. */
  readonly targets: ReadonlyMap<string, string>;
  /** Ledger entries that follow their file to a new path (see {@link ledgerMoves}); the other fields use the new paths. */
  readonly moves: readonly PathMove[];
}

/** Options of {@link readText}, made once: node copies a string encoding into a new object per call. */
const utf8 = { encoding: 'utf8', flag: 'r' } as const;

/**
 * Reads a working-tree file; undefined when it is missing or unreadable. Synchronous on
 * purpose: a hook reads a few hundred small files, and one promise per file costs more.
 */
function readText(root: string, relPath: string): string | undefined {
  // Joined by hand: path.join normalises the whole path, which costs more than the read when a
  // hook reads hundreds of files; git and the ledger give normalised '/'-separated paths.
  const file = /(^|\/)\.\.?(\/|$)/.test(relPath) ? path.join(root, relPath) : root.endsWith(path.sep) ? root + relPath : root + path.sep + relPath;
  try {
    return readFileSync(file, utf8);
  } catch {
    return undefined;
  }
}

/** Files {@link WorktreeLines.prefetch} computes between two turns of the event loop. */
const prefetchBatch = 8;

/** A ledger file as it is on disk, with the lines the ledger attributes in it. */
interface WorktreeFile {
  readonly text: string;
  /** The ledger's lines re-anchored onto `text` (1-based). */
  readonly lines: AttributedLine[];
}

/**
 * The working-tree side of attributing a change: each ledger file's text on disk and the lines
 * the ledger gives it, computed at most once per path. None of it depends on the change, so it
 * can be computed while git is still producing the staged diff ({@link prefetch}).
 */
class WorktreeLines {
  private readonly files = new Map<string, WorktreeFile | undefined>();
  private readonly sha1 = new Map<string, string>();

  constructor(
    private readonly root: string,
    private readonly ledger: LedgerData,
  ) {}

  /** The ledger's entry of `relPath` (paths come from git: own keys only). */
  private entry(relPath: string): LedgerFile | undefined {
    return Object.hasOwn(this.ledger.files, relPath) ? this.ledger.files[relPath] : undefined;
  }

  /** The ledger file `relPath` as on disk; undefined when the ledger has no entry or it cannot be read. */
  get(relPath: string): WorktreeFile | undefined {
    if (this.files.has(relPath)) return this.files.get(relPath);
    const entry = this.entry(relPath);
    const text = entry ? readText(this.root, relPath) : undefined;
    const file = entry && text !== undefined ? { text, lines: ledgerLines(entry, text, contentHash).lines } : undefined;
    this.files.set(relPath, file);
    return file;
  }

  /** The blob id of the file on disk in the hash `oid` uses (see {@link gitBlobId}). */
  blobId(relPath: string, oid: string): string | undefined {
    const file = this.get(relPath);
    if (!file) return undefined;
    if (oid.length === 64) return gitBlobId(file.text, 'sha256');
    let id = this.sha1.get(relPath);
    if (id === undefined) {
      id = gitBlobId(file.text);
      this.sha1.set(relPath, id);
    }
    return id;
  }

  /**
   * The lines the ledger gives `relPath` when its staged or committed blob is `oid` and the
   * entry was written for exactly that text (`LedgerFile.blob` in src/core/ledger/ledger.ts): nothing is read.
   */
  runsOfBlob(relPath: string, oid: string | undefined): LineRun[] | undefined {
    const entry = this.entry(relPath);
    return entry?.blob && oid !== undefined && entry.blob.sha1 === oid ? blobRuns(entry) : undefined;
  }

  /**
   * Computes the ledger's files until `until` settles, giving the event loop a turn every few
   * files: the output of the git command being waited for keeps being read (git stalls on a
   * full pipe otherwise). Files the change turns out not to touch cost only time that was
   * spent waiting anyway; sha1 ids are computed ahead too, as nearly every repository uses sha1.
   */
  async prefetch(until: Promise<unknown>): Promise<void> {
    let settled = false;
    const stop = (): void => {
      settled = true;
    };
    until.then(stop, stop);
    // Entries with a blob are likely staged as they are, and then need no reading at all.
    const paths = Object.keys(this.ledger.files).filter((p) => this.ledger.files[p]!.blob === undefined);
    for (let i = 0; i < paths.length; i++) {
      // A turn every few files is enough for the output to keep coming (64 KB a read).
      if (i % prefetchBatch === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      if (settled) return;
      this.blobId(paths[i]!, '');
    }
  }
}

/** What {@link attributeChange} works on. */
export interface ChangeToAttribute {
  readonly cwd: string;
  readonly root: string;
  readonly patches: readonly FilePatch[] | Promise<readonly FilePatch[]>;
  readonly target: ChangeTarget;
  readonly ledger: LedgerData | undefined;
  readonly notes: readonly NoteSource[];
  /** Reads the texts the attribution needs (default: a `cat-file --batch` of its own; see src/git/batchedReads.ts to share one). */
  readonly readTexts?: TextReader;
}

/**
 * Attributes a change. `notes` are in priority order (the freshest first); the ledger, when
 * given, comes before all of them: it is what the user's tools recorded last. `patches` may
 * still be coming (a running `git diff`): the ledger's side is then computed meanwhile.
 *
 * A file whose target blob is the one its ledger entry was written for (and that no note speaks
 * for) takes the lines the entry stored for that text (`LedgerFile.blob` in src/core/ledger/ledger.ts): exact,
 * whatever the working tree holds now. With `linesOnly` (a commit's trailers, the extension's
 * preview) no text is returned, and nothing is read or hashed for such a file.
 */
export function attributeChange(opts: ChangeToAttribute & { readonly linesOnly: true }): Promise<ChangeLines>;
export function attributeChange(opts: ChangeToAttribute): Promise<ChangeAttribution>;
export async function attributeChange(opts: ChangeToAttribute & { readonly linesOnly?: boolean }): Promise<ChangeLines | ChangeAttribution> {
  const { target } = opts;
  let ledger = opts.ledger;
  let onDisk = ledger ? new WorktreeLines(opts.root, ledger) : undefined;
  if (onDisk && opts.patches instanceof Promise) await onDisk.prefetch(opts.patches);
  const patches = await opts.patches;
  const moves = ledger ? ledgerMoves(opts.root, ledger, patches) : [];
  if (ledger && moves.length > 0) {
    // Rare (a file moved with AI lines not yet committed): what was prefetched is redone.
    ledger = renameLedgerPaths(ledger, moves) ?? ledger;
    onDisk = new WorktreeLines(opts.root, ledger);
  }
  const noteLines = opts.notes.flatMap((n) =>
    n.records.map((r) => ({ revision: r.vcs?.revision && /^[0-9a-f]{40,64}$/.test(r.vcs.revision) ? r.vcs.revision : n.commit, files: recordLines(r) })),
  );
  const withAdded = patches.filter((p) => p.addedRuns.length > 0);
  const specs = new Set<string>();
  const plans = withAdded.map((p) => {
    const names = p.oldPath ? [p.path, p.oldPath] : [p.path];
    const notes: Array<{ spec: string; lines: AttributedLine[] }> = [];
    for (const n of noteLines) {
      for (const name of names) {
        const lines = n.files.get(name);
        if (lines && lines.length > 0) {
          notes.push({ spec: `${n.revision}:${name}`, lines });
          break;
        }
      }
    }
    // The ledger alone speaks for the file, and its entry was written for the target's blob:
    // its stored lines are exactly the target's, whatever the working tree holds now.
    const stored = notes.length === 0 ? onDisk?.runsOfBlob(p.path, p.newOid) : undefined;
    // Then, when no text is wanted either, nothing is read for the file.
    const textless = stored !== undefined && opts.linesOnly === true ? stored : undefined;
    // A full result still wants the working-tree text (the ledger update after a commit).
    const wt = textless ? undefined : onDisk?.get(p.path);
    // The patch names the target's blob: when the working-tree file hashes to it, it is the
    // same text (the usual case: a file staged or committed as it is on disk).
    const useWorktree = wt !== undefined && p.newOid !== undefined && onDisk?.blobId(p.path, p.newOid) === p.newOid;
    const needed = !textless && (stored !== undefined || wt !== undefined || notes.length > 0);
    if (needed && !useWorktree) specs.add(target.spec(p.path));
    for (const n of notes) specs.add(n.spec);
    return { patch: p, notes, stored, textless, wt, useWorktree, needed };
  });
  const texts = specs.size === 0 ? new Map<string, string | undefined>() : opts.readTexts ? await opts.readTexts([...specs]) : await runGit(opts.cwd, catFileBatch([...specs]));
  // Every file's runs, in the order of the patches; `files` holds those with their text.
  const runFiles: Array<ChangeLines['files'][number]> = [];
  const files: FileAttribution[] = [];
  const targets = new Map<string, string>();
  const wtKnown = new Map<string, string>();
  for (const plan of plans) {
    if (plan.textless) {
      const runs = restrictRuns(plan.textless, plan.patch.addedRuns);
      if (runs.length > 0) runFiles.push({ path: plan.patch.path, runs });
      continue;
    }
    if (plan.wt) wtKnown.set(plan.patch.path, plan.wt.text);
    if (!plan.needed) continue;
    const text = plan.useWorktree ? plan.wt?.text : texts.get(target.spec(plan.patch.path));
    if (text === undefined) continue;
    targets.set(plan.patch.path, text);
    const lines = plan.stored ? runsToLines(restrictRuns(plan.stored, plan.patch.addedRuns)) : attributeVersion(text, sourcesOf(plan, texts), plan.patch.addedRuns);
    if (lines.length > 0) {
      files.push({ path: plan.patch.path, lines, text });
      runFiles.push({ path: plan.patch.path, runs: toRuns(lines) });
    }
  }
  const count = countChange([
    ...runFiles.map((f) => ({ runs: f.runs, added: 0 })),
    { runs: [], added: patches.reduce((n, p) => n + runLength(p.addedRuns), 0) },
  ]);
  // Without linesOnly every file with lines has its text: `files` holds them all.
  return opts.linesOnly ? { files: runFiles, count } : { files, count, worktree: wtKnown, targets, moves };
}

/**
 * The ledger entries a change moves to another path (src/core/ledger/ledgerRename.ts): renames
 * git saw, and new files that carry a vanished file's ranges. Only files with added lines count.
 */
export function ledgerMoves(root: string, ledger: LedgerData, patches: readonly FilePatch[]): PathMove[] {
  if (Object.keys(ledger.files).length === 0) return [];
  const changed = patches.filter((p) => p.addedRuns.length > 0);
  return findMoves(ledger, changed, {
    exists: (p) => existsSync(path.join(root, p)),
    textOf: (p) => readText(root, p),
    hash: contentHash,
  });
}

/** The sources of a file's lines: its ledger entry over the working tree, then its notes. */
function sourcesOf(plan: { readonly wt: WorktreeFile | undefined; readonly notes: ReadonlyArray<{ spec: string; lines: AttributedLine[] }> }, texts: ReadonlyMap<string, string | undefined>): LineSource[] {
  const sources: LineSource[] = [];
  if (plan.wt) sources.push(plan.wt);
  for (const n of plan.notes) {
    const from = texts.get(n.spec);
    if (from !== undefined) sources.push({ text: from, lines: n.lines });
  }
  return sources;
}

/**
 * The attributed lines of commits' notes, as lines of each commit's own version of the file.
 * A record written for the commit is read as it is; a record git copied onto it from another
 * commit (a rewrite our post-rewrite hook did not see) is carried over from that commit first,
 * in one `cat-file` call for all of them. `only` limits the work to some paths of each commit.
 */
export async function linesAtCommits(
  cwd: string,
  notes: ReadonlyMap<string, readonly TraceRecord[]>,
  only?: (commit: string) => ReadonlySet<string>,
): Promise<Map<string, Map<string, AttributedLine[]>>> {
  const out = new Map<string, Map<string, AttributedLine[]>>();
  const carry: Array<{ commit: string; path: string; from: string; lines: AttributedLine[] }> = [];
  for (const [commit, records] of notes) {
    const wanted = only?.(commit);
    const files = new Map<string, AttributedLine[][]>();
    for (const r of records) {
      const revision = r.vcs?.revision && /^[0-9a-f]{40,64}$/.test(r.vcs.revision) ? r.vcs.revision : commit;
      for (const [p, lines] of recordLines(r)) {
        if (wanted && !wanted.has(p)) continue;
        if (revision === commit) files.set(p, [...(files.get(p) ?? []), lines]);
        else carry.push({ commit, path: p, from: revision, lines });
      }
    }
    const merged = new Map<string, AttributedLine[]>();
    for (const [p, layers] of files) merged.set(p, overlayLayers(layers));
    out.set(commit, merged);
  }
  if (carry.length > 0) {
    const specs = new Set(carry.flatMap((c) => [`${c.from}:${c.path}`, `${c.commit}:${c.path}`]));
    const texts = await runGit(cwd, catFileBatch([...specs]));
    for (const c of carry) {
      const from = texts.get(`${c.from}:${c.path}`);
      const to = texts.get(`${c.commit}:${c.path}`);
      if (from === undefined || to === undefined) continue;
      const files = out.get(c.commit)!;
      files.set(c.path, overlayLayers([files.get(c.path) ?? [], attributeVersion(to, [{ text: from, lines: c.lines }])]));
    }
  }
  return out;
}

function overlayLayers(layers: ReadonlyArray<readonly AttributedLine[]>): AttributedLine[] {
  return layers.length === 1 ? [...layers[0]!] : overlay(layers);
}
