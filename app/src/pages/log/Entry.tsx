import { Link } from "wouter";
import type { EntryJson } from "../../api/types";
import { useT } from "../../i18n";
import { Hash, shorten } from "../../ui/Hash";

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const HASH = /^0x[0-9a-fA-F]{64}$/;

/**
 * A decoded argument as data: addresses and hashes shortened (with a copy button unless `compact`, as in a list where
 * the entry's own page has them), the rest as the node gave it.
 */
export function ArgValue({ value, compact }: { value: unknown; compact?: boolean }) {
  if (typeof value === "string" && (ADDRESS.test(value) || HASH.test(value))) {
    return compact ? (
      <code className="hash" title={value} translate="no">
        {shorten(value)}
      </code>
    ) : (
      <Hash value={value} />
    );
  }
  if (Array.isArray(value)) {
    return (
      <span translate="no">
        [
        {value.map((v, i) => (
          <span key={i}>
            {i > 0 && ", "}
            <ArgValue value={v} compact={compact} />
          </span>
        ))}
        ]
      </span>
    );
  }
  if (value !== null && typeof value === "object") return <code translate="no">{JSON.stringify(value)}</code>;
  return <code translate="no">{String(value)}</code>;
}

/** One line of the log: number, event, block, and the event's arguments in short. */
export function EntryItem({ entry }: { entry: EntryJson }) {
  const t = useT();
  const args = Object.entries(entry.event?.args ?? {}).slice(0, 4);
  return (
    <li className="entry">
      <div className="entry-head">
        <Link href={`/log/${entry.seq}`} className="entry-seq">
          #{entry.seq}
        </Link>
        {entry.event ? (
          <span className="entry-event" translate="no">
            {entry.event.contract}.{entry.event.name}
          </span>
        ) : (
          <span className="entry-event">{t("log.undecoded")}</span>
        )}
        <span className="muted small">{t("log.block", { block: entry.log.blockNumber })}</span>
      </div>
      {args.length > 0 && (
        <p className="entry-args">
          {args.map(([name, value], i) => (
            <span key={name}>
              {i > 0 && " · "}
              <span translate="no">{name}</span> <ArgValue value={value} compact />
            </span>
          ))}
        </p>
      )}
    </li>
  );
}
