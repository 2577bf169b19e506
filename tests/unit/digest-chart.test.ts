import { describe, expect, it } from 'vitest';
import {
  ANONYMOUS_COLOUR,
  MEMBERS_COLOUR,
  PEOPLE_COLOUR,
  renderVoicesChart,
  VOICES_CHART_PNG_WIDTH,
  type VoicesChartInput,
  voicesChartSvg,
  voicesChartTitle,
} from '../../src/charts/digest-chart.js';

// Sorting these alphabetically would give 12 Oct, 14 Sep, 21 Sep, ..., so a lost order shows up.
const LABELS = ['24 Aug', '31 Aug', '7 Sep', '14 Sep', '21 Sep', '28 Sep', '5 Oct', '12 Oct'];
const VOICES = [3, 5, 4, 7, 6, 8, 5, 9];
const ANONYMOUS = [1, 0, 2, 1, 3, 0, 1, 2];

function eightWeeks(members: number | null): VoicesChartInput {
  return {
    weeks: LABELS.map((label, i) => ({ label, voices: VOICES[i] ?? 0, anonymous: ANONYMOUS[i] ?? 0 })),
    members,
  };
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the IHDR chunk, which always directly follows the signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function unescapeXml(text: string): string {
  const entities: Record<string, string> = {
    '&amp;': '&',
    '&lt;': '<',
    '&gt;': '>',
    '&quot;': '"',
    '&#39;': "'",
  };
  return text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => entities[entity] as string);
}

interface Shape {
  tag: 'rect' | 'line' | 'text';
  attributes: Record<string, string>;
  /** What a text element shows, unescaped. */
  content: string;
}

/** Every rectangle, line and text the SVG draws, in drawing order. */
function shapes(svg: string): Shape[] {
  return [...svg.matchAll(/<(rect|line|text)\b([^>]*?)\/?>(?:([^<]*)<\/text>)?/g)].map((match) => ({
    tag: match[1] as Shape['tag'],
    attributes: Object.fromEntries(
      [...(match[2] ?? '').matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]]),
    ),
    content: unescapeXml(match[3] ?? ''),
  }));
}

function classed(svg: string, tag: Shape['tag'], className: string): Shape[] {
  return shapes(svg).filter(
    (shape) => shape.tag === tag && (shape.attributes.class ?? '').split(' ').includes(className),
  );
}

function texts(svg: string, role: string): string[] {
  return classed(svg, 'text', role).map((shape) => shape.content);
}

function number(shape: Shape, attribute: string): number {
  const value = Number(shape.attributes[attribute]);
  expect(Number.isFinite(value)).toBe(true);
  return value;
}

/** The height in SVG units of each drawn bar segment of a series, keyed by week position. */
function segments(svg: string, series: 'people' | 'anonymous'): Map<number, Shape> {
  return new Map(classed(svg, 'rect', series).map((shape) => [number(shape, 'data-week'), shape]));
}

/** The vertical position of the count axis label showing `value`, at the height its gridline is drawn. */
function yOfCountLabel(svg: string, value: string): number {
  const label = classed(svg, 'text', 'y-label').find((shape) => shape.content === value);
  expect(label).toBeDefined();
  return number(label as Shape, 'y') - 4;
}

describe('renderVoicesChart', () => {
  it('renders a PNG 1200 px wide with a landscape height', async () => {
    const png = await renderVoicesChart(eightWeeks(14));

    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const { width, height } = pngSize(png);
    expect(width).toBe(VOICES_CHART_PNG_WIDTH);
    expect(width).toBe(1200);
    expect(height).toBeGreaterThan(500);
    expect(height).toBeLessThan(900);
  });

  it('renders weeks where nobody answered, with or without a member count', async () => {
    const weeks = LABELS.map((label) => ({ label, voices: 0, anonymous: 0 }));

    for (const members of [null, 0]) {
      const png = await renderVoicesChart({ weeks, members });
      expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      expect(pngSize(png).width).toBe(1200);
    }
  });

  it('renders labels with markup characters in them', async () => {
    const weeks = [{ label: '<b> & "Q3"', voices: 2, anonymous: 1 }];

    const png = await renderVoicesChart({ weeks, members: null });

    expect(pngSize(png).width).toBe(1200);
    expect(texts(voicesChartSvg({ weeks, members: null }), 'x-label')).toEqual(['<b> & "Q3"']);
  });

  it('produces the same bytes for the same input', async () => {
    const first = await renderVoicesChart(eightWeeks(14));
    const second = await renderVoicesChart(eightWeeks(14));

    expect(first.equals(second)).toBe(true);
  });
});

describe('voicesChartSvg', () => {
  it('labels the weeks in the order given, not alphabetically, under a title', () => {
    const svg = voicesChartSvg(eightWeeks(null));

    expect(texts(svg, 'x-label')).toEqual(LABELS);
    expect(texts(svg, 'title')).toEqual(['Voices over 8 weeks']);
    expect(texts(svg, 'axis-title')).toEqual(['Voices', 'Week']);
  });

  it('draws a stacked bar per week: people from the axis up, anonymous answers on top', () => {
    const svg = voicesChartSvg(eightWeeks(null));
    const people = segments(svg, 'people');
    const anonymous = segments(svg, 'anonymous');
    const baseline = yOfCountLabel(svg, '0');

    expect([...people.keys()]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // Weeks 2 and 6 had no anonymous answers: nothing is drawn there rather than an invisible sliver.
    expect([...anonymous.keys()]).toEqual([0, 2, 3, 4, 6, 7]);

    const unit = number(people.get(0) as Shape, 'height') / (VOICES[0] as number);
    LABELS.forEach((_, week) => {
      const bar = people.get(week) as Shape;
      expect(bar.attributes.fill).toBe(PEOPLE_COLOUR);
      expect(number(bar, 'y') + number(bar, 'height')).toBeCloseTo(baseline, 3);
      expect(number(bar, 'height')).toBeCloseTo(unit * (VOICES[week] as number), 3);

      const above = anonymous.get(week);
      if (above === undefined) return;
      expect(above.attributes.fill).toBe(ANONYMOUS_COLOUR);
      expect(number(above, 'y') + number(above, 'height')).toBeCloseTo(number(bar, 'y'), 3);
      expect(number(above, 'height')).toBeCloseTo(unit * (ANONYMOUS[week] as number), 3);
      expect(number(above, 'x')).toBe(number(bar, 'x'));
    });
  });

  it('puts each bar above its own week label, left to right', () => {
    const svg = voicesChartSvg(eightWeeks(null));
    const bars = [...segments(svg, 'people').values()];
    const labels = classed(svg, 'text', 'x-label');

    bars.forEach((bar, week) => {
      const centre = number(bar, 'x') + number(bar, 'width') / 2;
      expect(number(labels[week] as Shape, 'x')).toBeCloseTo(centre, 3);
      if (week > 0) expect(number(bar, 'x')).toBeGreaterThan(number(bars[week - 1] as Shape, 'x'));
    });
  });

  it('keeps a bar for each week even when two weeks share a label', () => {
    const svg = voicesChartSvg({
      weeks: [
        { label: 'Week', voices: 2, anonymous: 0 },
        { label: 'Week', voices: 4, anonymous: 1 },
      ],
      members: null,
    });

    expect(texts(svg, 'x-label')).toEqual(['Week', 'Week']);
    expect(segments(svg, 'people').size).toBe(2);
    expect(segments(svg, 'anonymous').size).toBe(1);
    expect(texts(svg, 'title')).toEqual(['Voices over 2 weeks']);
  });

  it('draws the channel-members line and legend entry only when the count is known', () => {
    const withMembers = voicesChartSvg(eightWeeks(14));
    const withoutMembers = voicesChartSvg(eightWeeks(null));

    const [line, ...more] = classed(withMembers, 'line', 'members');
    expect(more).toEqual([]);
    expect(line?.attributes.stroke).toBe(MEMBERS_COLOUR);
    expect(line?.attributes['stroke-dasharray']).toBeDefined();
    // The tallest week is 11, so the axis reaches 14 only to make room for the line, drawn at 14.
    expect(texts(withMembers, 'y-label')).toContain('14');
    expect(number(line as Shape, 'y1')).toBeCloseTo(yOfCountLabel(withMembers, '14'), 3);
    expect(texts(withMembers, 'legend-label')).toEqual([
      'People who answered',
      'Anonymous answers',
      'People in the channel',
    ]);
    expect(classed(withMembers, 'rect', 'legend-swatch').map((swatch) => swatch.attributes.fill)).toEqual([
      PEOPLE_COLOUR,
      ANONYMOUS_COLOUR,
      MEMBERS_COLOUR,
    ]);
    expect(texts(withMembers, 'subtitle')).toEqual(['14 people in the channel now']);

    expect(classed(withoutMembers, 'line', 'members')).toEqual([]);
    expect(texts(withoutMembers, 'legend-label')).toEqual(['People who answered', 'Anonymous answers']);
    expect(texts(withoutMembers, 'subtitle')).toEqual([]);
    expect(texts(withoutMembers, 'y-label')).not.toContain('14');
  });

  it('numbers the count axis in whole steps from zero to at least the tallest bar', () => {
    const svg = voicesChartSvg(eightWeeks(null));

    expect(texts(svg, 'y-label')).toEqual(['0', '2', '4', '6', '8', '10', '12']);
  });

  it('shows whole numbers only on the count axis, even for small counts', () => {
    const svg = voicesChartSvg({
      weeks: [
        { label: 'A', voices: 1, anonymous: 0 },
        { label: 'B', voices: 0, anonymous: 1 },
      ],
      members: null,
    });

    expect(texts(svg, 'y-label')).toEqual(['0', '1']);
  });

  it('gives an all-zero chart a readable axis instead of a collapsed one', () => {
    const svg = voicesChartSvg({
      weeks: LABELS.map((label) => ({ label, voices: 0, anonymous: 0 })),
      members: null,
    });

    expect(texts(svg, 'x-label')).toEqual(LABELS);
    expect(texts(svg, 'y-label')).toEqual(['0', '1']);
    expect(classed(svg, 'rect', 'bar')).toEqual([]);
  });

  it('renders an empty series', () => {
    const svg = voicesChartSvg({ weeks: [], members: 5 });

    expect(svg.startsWith('<svg')).toBe(true);
    expect(classed(svg, 'rect', 'bar')).toEqual([]);
    expect(texts(svg, 'title')).toEqual(['Voices over 0 weeks']);
  });

  it('is titled with the number of weeks it draws, in the words the digest uses for it', () => {
    const weeks = (count: number) =>
      LABELS.slice(0, count).map((label) => ({ label, voices: 3, anonymous: 0 }));

    expect(texts(voicesChartSvg({ weeks: weeks(1), members: null }), 'title')).toEqual([voicesChartTitle(1)]);
    expect(voicesChartTitle(1)).toBe('Voices this week');
    expect(texts(voicesChartSvg({ weeks: weeks(4), members: null }), 'title')).toEqual([voicesChartTitle(4)]);
    expect(voicesChartTitle(4)).toBe('Voices over 4 weeks');
    expect(voicesChartTitle(9)).toBe('Voices over 9 weeks');
  });

  it('names the font explicitly so text renders the same in Docker', () => {
    expect(voicesChartSvg(eightWeeks(null))).toMatch(/^<svg [^>]*font-family="DejaVu Sans"/);
  });

  it('draws nothing for counts that cannot be people', () => {
    const svg = voicesChartSvg({
      weeks: [{ label: 'A', voices: -2, anonymous: Number.NaN }],
      members: 3.7,
    });

    expect(classed(svg, 'rect', 'bar')).toEqual([]);
    expect(texts(svg, 'subtitle')).toEqual(['3 people in the channel now']);
  });
});
