import { useMemo } from "react";
import * as Plot from "@observablehq/plot";
import { Link, useParams } from "wouter";
import { useNodeQuery } from "../../api";
import { Figure } from "../../charts/Figure";
import { useFormat, useLocale, useT } from "../../i18n";
import { useChainTime } from "../../ui/chainTime";
import { Hash } from "../../ui/Hash";
import { PageTitle } from "../../ui/PageTitle";
import { QueryState } from "../../ui/States";
import { districtName } from "../governance/labels";
import type { CalendarJson, SpotJson } from "./types";

const HOUR = 3600;
const DAYS = 7;

export default function SpotPage() {
  const t = useT();
  const { id } = useParams<{ id: string }>();
  const spot = useNodeQuery<SpotJson>(`/v1/parking/spots/${encodeURIComponent(id)}`);
  return (
    <>
      <p>
        <Link href="/parking">← {t("parking.back")}</Link>
      </p>
      <QueryState query={spot}>{(s) => <Spot spot={s} />}</QueryState>
    </>
  );
}

function Spot({ spot: s }: { spot: SpotJson }) {
  const t = useT();
  const f = useFormat();
  const title = t("parking.spotName", { id: s.id });
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <dl className="facts">
        <dt>{t("parking.district")}</dt>
        <dd>{districtName(t, s.district)}</dd>
        <dt>{t("parking.status")}</dt>
        <dd>{t(`parking.status_${s.status}`)}</dd>
        <dt>{t("parking.rate")}</dt>
        <dd>
          {t("parking.perHour", { amount: f.euro(s.hourlyRate) })}
          {s.dailyCap !== "0" && ` · ${t("parking.dailyCap", { amount: f.euro(s.dailyCap) })}`}
        </dd>
        {s.deposit !== "0" && (
          <>
            <dt>{t("parking.deposit")}</dt>
            <dd>{f.euro(s.deposit)}</dd>
          </>
        )}
        <dt>{t("parking.bookingsFact")}</dt>
        <dd>{f.number(s.bookings)}</dd>
        <dt>{t("parking.rating")}</dt>
        <dd>
          {s.ratingCount > 0
            ? t("parking.ratingValue", { score: f.number(s.ratingSum / s.ratingCount, { maximumFractionDigits: 1 }), count: s.ratingCount })
            : t("parking.noRating")}
        </dd>
        <dt>{t("parking.owner")}</dt>
        <dd>
          <Hash value={s.owner} label={t("parking.owner")} />
        </dd>
      </dl>
      <Calendar spot={s} />
    </>
  );
}

type HourState = "booked" | "free" | "unavailable";

/** The coming week, hour by hour, from local midnight today (whole hours, as the node's calendar takes them). */
function Calendar({ spot }: { spot: SpotJson }) {
  const t = useT();
  const f = useFormat();
  const { locale } = useLocale();
  const { now } = useChainTime();
  const midnight = new Date(now * 1000);
  midnight.setHours(0, 0, 0, 0);
  const from = Math.floor(midnight.getTime() / 1000 / HOUR) * HOUR;
  const to = from + DAYS * 24 * HOUR;
  const calendar = useNodeQuery<CalendarJson>(`/v1/parking/spots/${spot.id}/calendar?from=${from}&to=${to}`);
  return (
    <section aria-labelledby="spot-calendar">
      <h2 id="spot-calendar">{t("parking.calendarHeading")}</h2>
      <QueryState query={calendar}>{(c) => <CalendarFigure calendar={c} locale={locale} f={f} />}</QueryState>
    </section>
  );
}

function CalendarFigure({ calendar: c, locale, f }: { calendar: CalendarJson; locale: string; f: ReturnType<typeof useFormat> }) {
  const t = useT();
  const labels: Record<HourState, string> = useMemo(
    () => ({ booked: t("parking.hourBooked"), free: t("parking.hourFree"), unavailable: t("parking.hourUnavailable") }),
    [t],
  );
  const cells = useMemo(() => {
    const day = new Intl.DateTimeFormat(locale, { weekday: "short", day: "numeric" });
    const live = c.bookings.filter((b) => b.status !== "cancelled" && b.status !== "none");
    const out: { day: string; hour: number; state: HourState }[] = [];
    for (let at = c.from; at < c.to; at += HOUR) {
      const date = new Date(at * 1000);
      const state: HourState = live.some((b) => b.start < at + HOUR && b.end > at)
        ? "booked"
        : c.free.some((w) => w.from <= at && w.to >= at + HOUR)
          ? "free"
          : "unavailable";
      out.push({ day: day.format(date), hour: date.getHours(), state });
    }
    return out;
  }, [c, locale]);
  const days = [...new Set(cells.map((x) => x.day))];
  const options = useMemo(
    () => ({
      marginLeft: 64,
      height: 60 + days.length * 30,
      x: { label: t("parking.hourAxis"), ticks: [0, 6, 12, 18, 23] },
      y: { label: null, domain: days },
      color: { legend: true, domain: [labels.free, labels.booked, labels.unavailable], range: ["#15803d", "#0b5cad", "#d3d6dc"] },
      marks: [Plot.cell(cells, { x: "hour", y: "day", fill: (x: { state: HourState }) => labels[x.state], inset: 0.5 })],
    }),
    [cells, days, labels, t],
  );
  const bookings = c.bookings.filter((b) => b.status !== "cancelled");
  return (
    <Figure
      title={t("parking.calendarFigure")}
      desc={t("parking.calendarFigureDesc", { from: f.date(c.from), to: f.date(c.to - 1) })}
      options={options}
      height={60 + days.length * 30}
      table={{
        columns: [
          { key: "from", label: t("parking.bookingFrom") },
          { key: "to", label: t("parking.bookingTo") },
          { key: "price", label: t("parking.price"), numeric: true },
          { key: "status", label: t("parking.status") },
        ],
        rows:
          bookings.length > 0
            ? bookings.map((b) => ({ from: f.dateTime(b.start), to: f.dateTime(b.end), price: f.euro(b.price), status: t(`parking.booking_${b.status}`) }))
            : [{ from: t("parking.noBooking"), to: "", price: "", status: "" }],
      }}
    />
  );
}
