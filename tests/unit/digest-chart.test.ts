import { describe, expect, it } from 'vitest';
import {
  renderVoicesChart,
  renderVoicesChartSvg,
  VOICES_CHART_PNG_WIDTH,
  type VoicesChartInput,
  voicesChartSpec,
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

/** The strings drawn by the first text-mark group of the given role found after `from`. */
function textsOf(svg: string, role: string, from = 0): string[] {
  const start = svg.indexOf(`class="mark-text ${role}"`, from);
  if (start < 0) return [];
  const group = svg.slice(start, svg.indexOf('</g>', start));
  return [...group.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => unescapeXml(match[1] ?? ''));
}

/** Legend entries each sit in a group of their own, so collect the labels across all of them. */
function legendLabels(svg: string): string[] {
  const group = 'class="mark-text role-legend-label"';
  const labels: string[] = [];
  for (let at = svg.indexOf(group); at >= 0; at = svg.indexOf(group, at + 1)) {
    labels.push(...textsOf(svg, 'role-legend-label', at));
  }
  return labels;
}

function axisLabels(svg: string, axis: 'X' | 'Y'): string[] {
  const at = svg.indexOf(`aria-label="${axis}-axis`);
  expect(at).toBeGreaterThanOrEqual(0);
  return textsOf(svg, 'role-axis-label', at);
}

function barCount(svg: string): number {
  return svg.match(/aria-roledescription="bar"/g)?.length ?? 0;
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

  it('produces the same bytes for the same input', async () => {
    const first = await renderVoicesChart(eightWeeks(14));
    const second = await renderVoicesChart(eightWeeks(14));

    expect(first.equals(second)).toBe(true);
  });
});

describe('renderVoicesChartSvg', () => {
  it('labels the weeks in the order given, not alphabetically', async () => {
    const svg = await renderVoicesChartSvg(eightWeeks(null));

    expect(axisLabels(svg, 'X')).toEqual(LABELS);
    expect(textsOf(svg, 'role-title-text')).toEqual(['Voices over eight weeks']);
  });

  it('draws two stacked bars per week, people below anonymous answers', async () => {
    const svg = await renderVoicesChartSvg(eightWeeks(null));

    expect(barCount(svg)).toBe(16);
    const firstWeek = [...svg.matchAll(/aria-label="Week: 0; Voices: (\d+); series: ([^;]+);/g)].map(
      (match) => `${match[2]} ${match[1]}`,
    );
    expect(firstWeek).toEqual(['People who answered 3', 'Anonymous answers 1']);
  });

  it('keeps a bar for each week even when two weeks share a label', async () => {
    const svg = await renderVoicesChartSvg({
      weeks: [
        { label: 'Week', voices: 2, anonymous: 0 },
        { label: 'Week', voices: 4, anonymous: 1 },
      ],
      members: null,
    });

    expect(axisLabels(svg, 'X')).toEqual(['Week', 'Week']);
    expect(barCount(svg)).toBe(4);
    expect(textsOf(svg, 'role-title-text')).toEqual(['Voices over two weeks']);
  });

  it('draws the channel-members rule and legend entry only when the count is known', async () => {
    const withMembers = await renderVoicesChartSvg(eightWeeks(14));
    const withoutMembers = await renderVoicesChartSvg(eightWeeks(null));

    expect(withMembers).toContain('mark-rule role-mark');
    expect(legendLabels(withMembers)).toEqual([
      'People who answered',
      'Anonymous answers',
      'People in the channel',
    ]);
    expect(textsOf(withMembers, 'role-title-subtitle')).toEqual(['14 people in the channel now']);
    // The tallest week is 11, so the axis only reaches 14 to make room for the rule.
    expect(axisLabels(withMembers, 'Y')).toContain('14');

    expect(withoutMembers).not.toContain('mark-rule role-mark');
    expect(legendLabels(withoutMembers)).toEqual(['People who answered', 'Anonymous answers']);
    expect(withoutMembers).not.toContain('role-title-subtitle');
    expect(axisLabels(withoutMembers, 'Y')).not.toContain('14');
  });

  it('shows whole numbers only on the count axis, even for small counts', async () => {
    const svg = await renderVoicesChartSvg({
      weeks: [
        { label: 'A', voices: 1, anonymous: 0 },
        { label: 'B', voices: 0, anonymous: 1 },
      ],
      members: null,
    });

    expect(axisLabels(svg, 'Y')).toEqual(['0', '1']);
  });

  it('gives an all-zero chart a readable axis instead of a collapsed one', async () => {
    const svg = await renderVoicesChartSvg({
      weeks: LABELS.map((label) => ({ label, voices: 0, anonymous: 0 })),
      members: null,
    });

    expect(axisLabels(svg, 'X')).toEqual(LABELS);
    expect(axisLabels(svg, 'Y')).toEqual(['0', '1']);
  });

  it('renders an empty series without throwing', async () => {
    const svg = await renderVoicesChartSvg({ weeks: [], members: 5 });

    expect(svg.startsWith('<svg')).toBe(true);
    expect(barCount(svg)).toBe(0);
  });
});

describe('voicesChartSpec', () => {
  it('names the font explicitly so text renders the same in Docker', () => {
    expect(voicesChartSpec(eightWeeks(null)).config?.font).toBe('DejaVu Sans');
  });

  it('draws nothing for counts that cannot be people', () => {
    const spec = voicesChartSpec({
      weeks: [{ label: 'A', voices: -2, anonymous: Number.NaN }],
      members: 3.7,
    });

    const values = spec.data && 'values' in spec.data ? spec.data.values : [];
    expect(values).toEqual([
      { slot: 0, series: 'People who answered', stackOrder: 0, value: 0 },
      { slot: 0, series: 'Anonymous answers', stackOrder: 1, value: 0 },
    ]);
    expect(spec.title).toMatchObject({ subtitle: '3 people in the channel now' });
  });
});
