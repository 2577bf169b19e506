import type { TopLevelSpec } from 'vega-lite';

type LayerSpec = Extract<TopLevelSpec, { layer: unknown }>['layer'][number];

export interface VoicesChartWeek {
  /** Short label for the week, e.g. "12 Oct". */
  label: string;
  /** Distinct people who answered that week. */
  voices: number;
  /** Answers given anonymously that week (their authors cannot be counted as people). */
  anonymous: number;
}

export interface VoicesChartInput {
  /** Oldest first, usually eight. */
  weeks: readonly VoicesChartWeek[];
  /** People in the channel now, drawn as a reference line when known. */
  members: number | null;
}

/** Width of the PNG posted to Slack; well above the SVG's own width, so text stays sharp on dense screens. */
export const VOICES_CHART_PNG_WIDTH = 1200;

// The runtime image installs fonts-dejavu-core; naming it in both Vega and resvg keeps text the same
// locally and in Docker instead of depending on whichever fonts a machine happens to have.
const FONT = 'DejaVu Sans';

const PEOPLE = 'People who answered';
const ANONYMOUS = 'Anonymous answers';
const MEMBERS = 'People in the channel';

const PEOPLE_COLOUR = '#2f6db3';
const ANONYMOUS_COLOUR = '#9cc3e6';
const MEMBERS_COLOUR = '#555555';

const Y_TICKS = 6;

const NUMBER_WORDS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
];

function weeksInWords(count: number): string {
  const number = NUMBER_WORDS[count] ?? String(count);
  return count === 1 ? `${number} week` : `${number} weeks`;
}

/** Counts arrive from queries; a stray negative or fractional value must not draw a misleading bar. */
function count(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/** The Vega-Lite spec for the digest's "breadth of voices" chart. Pure, so it can be inspected in tests. */
export function voicesChartSpec(input: VoicesChartInput): TopLevelSpec {
  const members = input.members === null ? null : count(input.members);
  // Bars are keyed by position rather than label, so two weeks that happen to share a label still get
  // a bar each; the axis shows the label for each position.
  const labels = input.weeks.map((week) => week.label);
  const rows = input.weeks.flatMap((week, slot) => [
    { slot, series: PEOPLE, stackOrder: 0, value: count(week.voices) },
    { slot, series: ANONYMOUS, stackOrder: 1, value: count(week.anonymous) },
  ]);
  const highest = Math.max(0, members ?? 0, ...input.weeks.map((w) => count(w.voices) + count(w.anonymous)));

  const domain = members === null ? [PEOPLE, ANONYMOUS] : [PEOPLE, ANONYMOUS, MEMBERS];
  const range =
    members === null ? [PEOPLE_COLOUR, ANONYMOUS_COLOUR] : [PEOPLE_COLOUR, ANONYMOUS_COLOUR, MEMBERS_COLOUR];
  const color = {
    field: 'series',
    type: 'nominal',
    scale: { domain, range },
    legend: { title: null, orient: 'bottom', direction: 'horizontal', symbolType: 'square', labelLimit: 0 },
  } as const;

  const bars: LayerSpec = {
    mark: { type: 'bar', width: { band: 0.7 } },
    encoding: {
      x: {
        field: 'slot',
        type: 'ordinal',
        // Keep the order given (oldest first); Vega-Lite sorts discrete axes by value unless told not to.
        sort: null,
        scale: { domain: labels.map((_, slot) => slot) },
        title: 'Week',
        axis: { labelAngle: 0, labelExpr: 'weekLabels[datum.value]' },
      },
      y: {
        field: 'value',
        type: 'quantitative',
        stack: 'zero',
        title: 'Voices',
        // With nothing to count, Vega's scale would collapse to [0, 0] and draw no gridlines at all.
        // The scale is rounded for the same tick count as the axis, or the tallest bar can end above
        // the top gridline with no number beside it.
        scale: highest === 0 ? { domain: [0, 1] } : { zero: true, nice: Y_TICKS },
        axis: { tickCount: Y_TICKS, tickMinStep: 1, format: 'd' },
      },
      color,
      order: { field: 'stackOrder', type: 'quantitative' },
    },
  };

  const membersRule: LayerSpec = {
    data: { values: [{ series: MEMBERS, value: members }] },
    mark: { type: 'rule', strokeDash: [6, 4], strokeWidth: 2 },
    encoding: {
      y: { field: 'value', type: 'quantitative' },
      color,
    },
  };

  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Voices over ${weeksInWords(input.weeks.length)}`,
      // Vega sizes text by estimate (0.8em a character) when it has no canvas, so a long subtitle would
      // widen the whole image and shrink the plot; the legend already explains the bars.
      ...(members === null
        ? {}
        : { subtitle: `${members} ${members === 1 ? 'person' : 'people'} in the channel now` }),
      anchor: 'start',
    },
    width: 640,
    height: 280,
    padding: 16,
    background: 'white',
    params: [{ name: 'weekLabels', value: labels }],
    data: { values: rows },
    layer: members === null ? [bars] : [bars, membersRule],
    config: {
      font: FONT,
      view: { stroke: null },
      axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', grid: true },
      axisX: { grid: false, ticks: false },
      legend: { labelFontSize: 12 },
      title: { fontSize: 16, subtitleFontSize: 12, subtitleColor: '#555555' },
    },
  };
}

/** The chart as SVG text; rasterising is split off so tests can read the labels it draws. */
export async function renderVoicesChartSvg(input: VoicesChartInput): Promise<string> {
  // Loaded on first use: the renderers take most of a second to load, and only the weekly digest needs them.
  const [{ parse, View }, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const { spec } = compile(voicesChartSpec(input));
  const view = new View(parse(spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The chart as PNG bytes, ready to upload to Slack. */
export async function renderVoicesChart(input: VoicesChartInput): Promise<Buffer> {
  const svg = await renderVoicesChartSvg(input);
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: VOICES_CHART_PNG_WIDTH },
    font: { loadSystemFonts: true, defaultFontFamily: FONT },
    background: 'white',
  });
  return resvg.render().asPng();
}
