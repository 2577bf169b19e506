export interface VoicesChartWeek {
  /** Short label for the week, e.g. "12 Oct". */
  label: string;
  /** Distinct people who answered that week. */
  voices: number;
  /** Answers given anonymously that week (their authors cannot be counted as people). */
  anonymous: number;
}

export interface VoicesChartInput {
  /** Oldest first: this week and those before it since the channel was set up, up to nine in all. */
  weeks: readonly VoicesChartWeek[];
  /** People in the channel now, drawn as a reference line when known. */
  members: number | null;
}

/** Width of the PNG posted to Slack; well above the SVG's own width, so text stays sharp on dense screens. */
export const VOICES_CHART_PNG_WIDTH = 1200;

// The runtime image installs fonts-dejavu-core; naming it in the SVG and in resvg keeps text the same
// locally and in Docker instead of depending on whichever fonts a machine happens to have.
const VOICES_CHART_FONT = 'DejaVu Sans';

const PEOPLE = 'People who answered';
const ANONYMOUS = 'Anonymous answers';
const MEMBERS = 'People in the channel';

export const PEOPLE_COLOUR = '#2f6db3';
export const ANONYMOUS_COLOUR = '#9cc3e6';
export const MEMBERS_COLOUR = '#555555';

const GRID_COLOUR = '#dddddd';
const AXIS_COLOUR = '#888888';
const TEXT_COLOUR = '#000000';

const PADDING = 16;
const PLOT_WIDTH = 640;
const PLOT_HEIGHT = 280;
/** Room left of the plot for the rotated axis title and the count labels. */
const Y_AXIS_WIDTH = 41;
const BAR_SHARE_OF_BAND = 0.7;
const Y_TICKS = 6;

/**
 * The chart's name, said the same way wherever the chart is: its own title, the uploaded file's title, its
 * alt text and the digest's voices line. `weeks` is the number of weeks drawn, this one included.
 */
export function voicesChartTitle(weeks: number): string {
  return weeks === 1 ? 'Voices this week' : `Voices over ${weeks} weeks`;
}

/** Counts arrive from queries; a stray negative or fractional value must not draw a misleading bar. */
function count(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (character) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character] as string,
  );
}

/** Rounded for print: four decimals are far below a pixel and keep the SVG byte-for-byte stable. */
function n(value: number): string {
  return String(Math.round(value * 1e4) / 1e4);
}

/**
 * Whole-number gridlines from zero past `highest`: a step of 1, 2 or 5 times a power of ten giving about
 * `Y_TICKS` intervals, so the tallest bar or the members' line never ends above the top gridline.
 */
function countAxis(highest: number): { step: number; top: number } {
  if (highest <= 0) return { step: 1, top: 1 };
  const rough = highest / Y_TICKS;
  const power = 10 ** Math.floor(Math.log10(rough));
  const ratio = rough / power;
  const factor = ratio >= Math.sqrt(50) ? 10 : ratio >= Math.sqrt(10) ? 5 : ratio >= Math.sqrt(2) ? 2 : 1;
  const step = Math.max(1, factor * power);
  return { step, top: Math.ceil(highest / step) * step };
}

/** Approximate advance of DejaVu Sans, for laying out the legend; a little generous, never overlapping. */
function textWidth(text: string, fontSize: number): number {
  return text.length * fontSize * 0.62;
}

interface TextOptions {
  role: string;
  x: number;
  y: number;
  size: number;
  anchor?: 'start' | 'middle' | 'end';
  weight?: 'bold';
  colour?: string;
  rotate?: number;
}

function text(content: string, options: TextOptions): string {
  const attributes = [
    `class="${options.role}"`,
    `x="${n(options.x)}"`,
    `y="${n(options.y)}"`,
    `font-size="${options.size}"`,
    `text-anchor="${options.anchor ?? 'start'}"`,
    `fill="${options.colour ?? TEXT_COLOUR}"`,
    ...(options.weight ? [`font-weight="${options.weight}"`] : []),
    ...(options.rotate ? [`transform="rotate(${options.rotate} ${n(options.x)} ${n(options.y)})"`] : []),
  ];
  return `<text ${attributes.join(' ')}>${escapeXml(content)}</text>`;
}

/**
 * The digest's "breadth of voices" chart as SVG: one stacked bar per week (people who answered below,
 * anonymous answers above), whole-number gridlines, the week labels in the order given, and a dashed line
 * for the people in the channel when that count is known. Pure, so tests read exactly what is drawn.
 */
export function voicesChartSvg(input: VoicesChartInput): string {
  const members = input.members === null ? null : count(input.members);
  const weeks = input.weeks.map((week) => ({
    label: week.label,
    people: count(week.voices),
    anonymous: count(week.anonymous),
  }));
  const highest = Math.max(0, members ?? 0, ...weeks.map((week) => week.people + week.anonymous));
  const axis = countAxis(highest);

  const titleBaseline = PADDING + 16;
  const subtitle =
    members === null ? null : `${members} ${members === 1 ? 'person' : 'people'} in the channel now`;
  const headerBottom = subtitle === null ? titleBaseline + 8 : titleBaseline + 22;
  const plotTop = headerBottom + 12;
  const plotLeft = PADDING + Y_AXIS_WIDTH;
  const plotBottom = plotTop + PLOT_HEIGHT;
  const plotRight = plotLeft + PLOT_WIDTH;
  const legendTop = plotBottom + 56;
  const width = plotRight + PADDING + 1;
  const height = legendTop + 14 + PADDING;

  const yOf = (value: number) => plotBottom - (value / axis.top) * PLOT_HEIGHT;
  const band = weeks.length === 0 ? PLOT_WIDTH : PLOT_WIDTH / weeks.length;
  const barWidth = band * BAR_SHARE_OF_BAND;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${VOICES_CHART_FONT}">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    text(voicesChartTitle(weeks.length), {
      role: 'title',
      x: PADDING,
      y: titleBaseline,
      size: 16,
      weight: 'bold',
    }),
  ];
  if (subtitle !== null) {
    parts.push(
      text(subtitle, {
        role: 'subtitle',
        x: PADDING,
        y: titleBaseline + 18,
        size: 12,
        colour: MEMBERS_COLOUR,
      }),
    );
  }

  for (let value = 0; value <= axis.top; value += axis.step) {
    const y = yOf(value);
    if (value > 0) {
      parts.push(
        `<line class="gridline" x1="${n(plotLeft)}" y1="${n(y)}" x2="${n(plotRight)}" y2="${n(y)}" stroke="${GRID_COLOUR}"/>`,
      );
    }
    parts.push(text(String(value), { role: 'y-label', x: plotLeft - 6, y: y + 4, size: 11, anchor: 'end' }));
  }
  parts.push(
    text('Voices', {
      role: 'axis-title',
      x: PADDING + 8,
      y: (plotTop + plotBottom) / 2,
      size: 12,
      anchor: 'middle',
      rotate: -90,
    }),
  );

  weeks.forEach((week, slot) => {
    const x = plotLeft + band * slot + (band - barWidth) / 2;
    const segments = [
      { series: 'people', colour: PEOPLE_COLOUR, from: 0, to: week.people },
      { series: 'anonymous', colour: ANONYMOUS_COLOUR, from: week.people, to: week.people + week.anonymous },
    ];
    for (const segment of segments) {
      // A segment of nothing would be a zero-height rectangle: invisible, so not drawn at all.
      if (segment.to === segment.from) continue;
      const top = yOf(segment.to);
      parts.push(
        `<rect class="bar ${segment.series}" data-week="${slot}" data-count="${segment.to - segment.from}" x="${n(x)}" y="${n(top)}" width="${n(barWidth)}" height="${n(yOf(segment.from) - top)}" fill="${segment.colour}"/>`,
      );
    }
    parts.push(
      text(week.label, {
        role: 'x-label',
        x: x + barWidth / 2,
        y: plotBottom + 16,
        size: 11,
        anchor: 'middle',
      }),
    );
  });

  parts.push(
    `<line class="axis" x1="${n(plotLeft)}" y1="${n(plotTop)}" x2="${n(plotLeft)}" y2="${n(plotBottom)}" stroke="${AXIS_COLOUR}"/>`,
    `<line class="axis" x1="${n(plotLeft)}" y1="${n(plotBottom)}" x2="${n(plotRight)}" y2="${n(plotBottom)}" stroke="${AXIS_COLOUR}"/>`,
    text('Week', {
      role: 'axis-title',
      x: (plotLeft + plotRight) / 2,
      y: plotBottom + 34,
      size: 12,
      anchor: 'middle',
    }),
  );

  if (members !== null) {
    const y = yOf(members);
    parts.push(
      `<line class="members" x1="${n(plotLeft)}" y1="${n(y)}" x2="${n(plotRight)}" y2="${n(y)}" stroke="${MEMBERS_COLOUR}" stroke-width="2" stroke-dasharray="6 4"/>`,
    );
  }

  const legend =
    members === null
      ? [
          { label: PEOPLE, colour: PEOPLE_COLOUR },
          { label: ANONYMOUS, colour: ANONYMOUS_COLOUR },
        ]
      : [
          { label: PEOPLE, colour: PEOPLE_COLOUR },
          { label: ANONYMOUS, colour: ANONYMOUS_COLOUR },
          { label: MEMBERS, colour: MEMBERS_COLOUR },
        ];
  let legendX = plotLeft;
  for (const entry of legend) {
    parts.push(
      `<rect class="legend-swatch" x="${n(legendX)}" y="${n(legendTop)}" width="12" height="12" fill="${entry.colour}"/>`,
      text(entry.label, { role: 'legend-label', x: legendX + 18, y: legendTop + 11, size: 12 }),
    );
    legendX += 18 + textWidth(entry.label, 12) + 36;
  }

  parts.push('</svg>');
  return parts.join('\n');
}

/** The chart as PNG bytes, ready to upload to Slack. */
export async function renderVoicesChart(input: VoicesChartInput): Promise<Buffer> {
  // Loaded on first use: only the weekly digest draws a chart.
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(voicesChartSvg(input), {
    fitTo: { mode: 'width', value: VOICES_CHART_PNG_WIDTH },
    font: { loadSystemFonts: true, defaultFontFamily: VOICES_CHART_FONT },
    background: 'white',
  });
  return resvg.render().asPng();
}
