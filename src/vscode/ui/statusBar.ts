/**
 * The status bar item: the active file's AI lines ("$(sparkle) 42 AI"), a tooltip by tool,
 * model and state, and a click that lists the ranges. Hidden where there is nothing to say.
 */
import * as vscode from 'vscode';
import type { CriticalMatch } from '../../core/policy/match';
import type { GovernancePreview } from '../../core/policy/preview';
import type { LineSummary } from '../../core/report/summary';
import { summarize, toolLabel } from '../../core/report/summary';
import type { DocumentRegistry } from '../documents/registry';

/** Recomputing on every keystroke would be wasted work; the item lags edits by this much. */
const refreshDelayMs = 150;

/** Text of the item for a summary, or undefined when it should be hidden. */
export function statusText(s: LineSummary): string | undefined {
  const ai = s.ai + s.mixed;
  if (ai === 0 && s.unknown === 0) return undefined;
  const parts = [`$(sparkle) ${ai} AI`];
  if (s.unknown > 0) parts.push(`${s.unknown} unknown`);
  return parts.join(' · ');
}

/**
 * The governance part of the item: the tier, the first budget as spent and the first review
 * the commit will need (` · tier-1 · 12 of 50 AI lines · needs 2 reviews from seniors`).
 */
export function governanceText(gov: GovernancePreview | undefined): string {
  if (!gov) return '';
  const parts: string[] = [...gov.tiers];
  const budget = gov.rules.find((u) => u.maxAiLines !== undefined);
  if (budget) parts.push(`${budget.aiLines} of ${budget.maxAiLines!} AI lines`);
  if (gov.needs[0]) parts.push(gov.needs[0]);
  return parts.map((p) => ` · ${p}`).join('');
}

/** Owns the status bar item. */
export class ProvenanceStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private current: string | undefined;

  constructor(
    private readonly registry: DocumentRegistry,
    private readonly critical?: { match(uri: vscode.Uri): CriticalMatch | undefined; governance?(uri: vscode.Uri): GovernancePreview | undefined; onDidChange: vscode.Event<vscode.Uri> },
  ) {
    this.item = vscode.window.createStatusBarItem('aiProvenance.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'AI Provenance';
    this.item.command = 'aiProvenance.showRanges';
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      registry.onDidChange((uri) => {
        if (vscode.window.activeTextEditor?.document.uri.toString() === uri.toString()) this.schedule();
      }),
    );
    if (critical) {
      this.disposables.push(critical.onDidChange((uri) => {
        if (vscode.window.activeTextEditor?.document.uri.toString() === uri.toString()) this.schedule();
      }));
    }
    this.refresh();
  }

  /** The item's current text (undefined when hidden); for tests and the demo. */
  get text(): string | undefined {
    return this.current;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, refreshDelayMs);
  }

  /** Recomputes now. */
  refresh(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const st = doc ? this.registry.get(doc.uri) : undefined;
    if (!doc || !st) {
      this.hide();
      return;
    }
    const summary = summarize(this.registry.lines(doc));
    const text = statusText(summary);
    if (!text) {
      this.hide();
      return;
    }
    const critical = summary.ai + summary.mixed > 0 ? this.critical?.match(doc.uri) : undefined;
    const gov = critical ? this.critical?.governance?.(doc.uri) : undefined;
    this.current = critical ? `${text.replace('$(sparkle)', '$(warning)')} · critical${governanceText(gov)}` : text;
    this.item.text = this.current;
    this.item.backgroundColor = critical ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.accessibilityInformation = { label: `${summary.ai + summary.mixed} AI-written lines in this file` };
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**AI Provenance** — ${summary.ai + summary.mixed} AI-written line(s)`);
    if (summary.mixed) md.appendMarkdown(`, ${summary.mixed} of them edited by hand`);
    md.appendMarkdown('\n\n');
    for (const t of summary.tools) md.appendMarkdown(`- \`${toolLabel(t.tool, t.model)}\`: ${t.lines}\n`);
    if (summary.unknown) md.appendMarkdown(`- unknown (changed outside the editor, no agent record): ${summary.unknown}\n`);
    if (critical) md.appendMarkdown(`\n$(warning) **Critical path**: ${critical.reason}${critical.rule.tier !== undefined ? ` (${critical.rule.tier})` : ''} — commits here need: ${critical.friction}.\n`);
    for (const b of gov?.budgets ?? []) md.appendMarkdown(`\n- ${b}`);
    for (const n of gov?.needs ?? []) md.appendMarkdown(`\n- the commit ${n}`);
    const placement = st.placement;
    if (placement?.kind === 'memory') {
      const why = placement.reason === 'untrusted' ? 'the workspace is not trusted' : placement.reason === 'outside-git' ? 'the file is not in a git repository' : 'the document is not a file';
      md.appendMarkdown(`\n$(info) Kept in memory only: ${why}.`);
    }
    md.appendMarkdown('\n\nClick to list the ranges.');
    this.item.tooltip = md;
    this.item.show();
  }

  private hide(): void {
    this.current = undefined;
    this.item.hide();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
    this.item.dispose();
  }
}
