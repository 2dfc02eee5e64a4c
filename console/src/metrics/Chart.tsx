/**
 * A time-series chart drawn by uPlot (loaded on first use, so the incident list does not pay for it), with the
 * alarm's threshold as a dashed line and the same numbers as a table for screen readers and copy-paste.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatTime } from '../ui/format.ts';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
}

export interface ChartProps {
  /** Accessible name of the chart. */
  label: string;
  /** Epoch seconds. */
  times: number[];
  series: ChartSeries[];
  threshold?: number | undefined;
}

const COLORS = ['#2563eb', '#d97706', '#059669', '#7c3aed', '#db2777'];

export function Chart({ label, times, series, threshold }: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState<unknown>();
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    let plot: { destroy(): void; setSize(size: { width: number; height: number }): void } | undefined;
    let observer: ResizeObserver | undefined;
    let cancelled = false;
    import('uplot')
      .then(({ default: UPlot }) => {
        if (cancelled) return;
        const width = Math.max(280, element.clientWidth);
        const lines = series.map((s, i) => ({
          label: s.label,
          stroke: COLORS[i % COLORS.length],
          width: 2,
          points: { show: true, size: 6 },
        }));
        const data = [times, ...series.map((s) => s.values)];
        if (threshold !== undefined) {
          lines.push({
            label: 'Threshold',
            stroke: '#dc2626',
            width: 1,
            dash: [6, 4],
            points: { show: false, size: 0 },
          } as never);
          data.push(times.map(() => threshold));
        }
        // A single datapoint still needs a visible time range.
        const range = times.length === 1 ? [times[0]! - 300, times[0]! + 300] : undefined;
        plot = new UPlot(
          {
            width,
            height: 220,
            series: [{}, ...lines],
            scales: { x: { time: true, ...(range ? { range: () => range as [number, number] } : {}) } },
            axes: [{}, { size: 60 }],
          },
          data as never,
          element,
        );
        observer = new ResizeObserver(() => plot?.setSize({ width: Math.max(280, element.clientWidth), height: 220 }));
        observer.observe(element);
      })
      .catch(setFailed);
    return () => {
      cancelled = true;
      observer?.disconnect();
      plot?.destroy();
    };
  }, [times, series, threshold]);

  return (
    <figure class="chart">
      <div ref={host} role="img" aria-label={label} class="chart-canvas" />
      {failed ? <p class="error">The chart could not be drawn: {String(failed)}</p> : null}
      <details class="chart-table">
        <summary>Datapoints as a table</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Time</th>
              {series.map((s) => (
                <th scope="col" key={s.label}>
                  {s.label}
                </th>
              ))}
              {threshold !== undefined ? <th scope="col">Threshold</th> : null}
            </tr>
          </thead>
          <tbody>
            {times.map((time, row) => (
              <tr key={time}>
                <td>{formatTime(new Date(time * 1000), true)}</td>
                {series.map((s) => (
                  <td key={s.label}>{s.values[row] ?? '—'}</td>
                ))}
                {threshold !== undefined ? <td>{threshold}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
