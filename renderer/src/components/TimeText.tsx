/** A time as people say it ("in 59 min", "3 min ago"), the exact time on hover. */
import { useEffect, useState } from 'react';
import { Tooltip } from '@mui/material';

export function relativeTime(iso: string, now: number): string {
  const s = Math.round((Date.parse(iso) - now) / 1000);
  const a = Math.abs(s);
  const amount =
    a < 60
      ? `${a} s`
      : a < 5400
        ? `${Math.round(a / 60)} min`
        : a < 172_800
          ? `${Math.round(a / 3600)} h`
          : `${Math.round(a / 86_400)} days`;
  return s >= 0 ? `in ${amount}` : `${amount} ago`;
}

export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

export function TimeText({ iso, prefix = '' }: { iso: string; prefix?: string }) {
  const now = useNow();
  return (
    <Tooltip title={new Date(iso).toLocaleString()}>
      <span>
        {prefix}
        {relativeTime(iso, now)}
      </span>
    </Tooltip>
  );
}
