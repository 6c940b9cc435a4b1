import { compileTemplate } from './compiled';
import type { AdaptiveCard, Choice } from './index';
import insights from './insights.json';

/** One piece of a fund's donut: its share in major units, and the same as text for the fallback. */
export interface InsightsSlice {
  readonly legend: string;
  readonly value: number;
  readonly color: string;
  readonly text: string;
}

export interface InsightsFundView {
  /** The fund's name escaped for Markdown (TextBlock), and as typed (the chart's title: no Markdown). */
  readonly name: string;
  readonly chartTitle: string;
  /** "92 % used", coloured like the overview's fund bar (good, warning above 80 %, attention above 100 %). */
  readonly usage: string;
  readonly usageColor: string;
  readonly slices: readonly InsightsSlice[];
  readonly returnPipeline: string;
  readonly returnRevenue: string;
}

/** One activity type's figures in one currency: chart values in major units, texts for the tables. */
export interface InsightsTypeRow {
  readonly label: string;
  readonly approvedValue: number;
  readonly pipelineValue: number;
  readonly spendText: string;
  readonly pipelineText: string;
  readonly returnPipeline: string;
  readonly returnRevenue: string;
}

export interface InsightsData {
  readonly t: Readonly<Record<string, string>>;
  readonly scope: string;
  readonly funds: readonly InsightsFundView[];
  /** "Funds 1–5 of 50", or empty when one page holds them all. */
  readonly pageLine: string;
  readonly currencies: readonly {
    readonly heading: string;
    readonly rows: readonly InsightsTypeRow[];
  }[];
  readonly waiting: {
    readonly value: number;
    readonly max: number;
    readonly line: string;
    readonly segments: readonly {
      readonly legend: string;
      readonly size: number;
      readonly color: string;
    }[];
  };
  readonly fundChoices: readonly Choice[];
  readonly periodChoices: readonly Choice[];
  readonly filter: { readonly fund: string; readonly period: string };
  readonly next: number | null;
}
const expand = compileTemplate(insights);
/** The `insights` card (issue 33): charts, each with a text fallback for clients that cannot draw them. */
export const renderInsights = (data: InsightsData): AdaptiveCard => expand(data) as AdaptiveCard;
