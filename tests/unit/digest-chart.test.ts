import { describe, expect, it } from 'vitest';
import {
  renderVoicesChart,
  renderVoicesChartSvg,
  VOICES_CHART_PNG_WIDTH,
  type VoicesChartInput,
} from '../../src/charts/digest-chart.js';

const WEEKS: VoicesChartInput['weeks'] = [
  { label: '2 Oct', voices: 6, anonymous: 1 },
  { label: '9 Oct', voices: 7, anonymous: 0 },
  { label: '16 Oct', voices: 5, anonymous: 2 },
  { label: '23 Oct', voices: 3, anonymous: 0 },
];

function pngSize(png: Buffer) {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('the voices chart', () => {
  it('renders a PNG of the width Slack is sent', async () => {
    const png = await renderVoicesChart({ weeks: WEEKS, members: 9 });
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const { width, height } = pngSize(png);
    expect(width).toBe(VOICES_CHART_PNG_WIDTH);
    expect(height).toBeGreaterThan(300);
    expect(height).toBeLessThan(1200);
  });

  it('keeps the weeks in the order given, not alphabetical', async () => {
    const svg = await renderVoicesChartSvg({ weeks: WEEKS, members: null });
    const positions = WEEKS.map((week) => svg.indexOf(`>${week.label}<`));
    expect(positions.every((position) => position > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('draws the channel’s members as a reference only when known', async () => {
    expect(await renderVoicesChartSvg({ weeks: WEEKS, members: 9 })).toContain('People in the channel');
    expect(await renderVoicesChartSvg({ weeks: WEEKS, members: null })).not.toContain(
      'People in the channel',
    );
  });

  it('renders a week of nothing without failing', async () => {
    const png = await renderVoicesChart({
      weeks: [{ label: '30 Oct', voices: 0, anonymous: 0 }],
      members: null,
    });
    expect(pngSize(png).width).toBe(VOICES_CHART_PNG_WIDTH);
  });
});
