import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "wouter";
import { useCity } from "../../api/city";
import { useNodeQuery } from "../../api/query";
import type { EntryJson } from "../../api/types";
import { useFormat, useT } from "../../i18n";
import { Hash } from "../../ui/Hash";
import { PageTitle } from "../../ui/PageTitle";
import { QueryState } from "../../ui/States";
import { ArgValue } from "./Entry";

/** One entry: its decoded event, the raw log it is, the leaf, and the block it came from read on the chain. */
export default function EntryPage() {
  const t = useT();
  const { seq } = useParams<{ seq: string }>();
  const entry = useNodeQuery<EntryJson>(`/v1/entries/${seq}`, { staleTime: Infinity });
  const n = Number(seq);
  return (
    <>
      <PageTitle title={t("log.entryTitle", { seq })}>{t("log.entryTitle", { seq })}</PageTitle>
      <p className="lead">{t("log.entryLead")}</p>
      <QueryState query={entry}>{(e) => <EntryDetails entry={e} />}</QueryState>
      <nav className="pager" aria-label={t("common.pagerLabel")}>
        {n > 0 ? (
          <Link href={`/log/${n - 1}`} className="button button-secondary" rel="prev">
            ← {t("log.previousEntry")}
          </Link>
        ) : (
          <span />
        )}
        <Link href={`/log/${n + 1}`} className="button button-secondary" rel="next">
          {t("log.nextEntry")} →
        </Link>
      </nav>
    </>
  );
}

function EntryDetails({ entry }: { entry: EntryJson }) {
  const t = useT();
  const { log, event } = entry;
  return (
    <>
      <p>
        <Link href={`/verify/${entry.seq}`} className="button">
          {t("log.verifyThis")}
        </Link>
      </p>
      <div className="card">
        <dl className="facts">
          <dt>{t("log.event")}</dt>
          <dd translate="no">{event ? `${event.contract}.${event.name}` : <span translate="yes">{t("log.undecoded")}</span>}</dd>
          <dt>{t("log.emitter")}</dt>
          <dd>
            <Hash value={log.address} href={`/log?q=${log.address}`} />
          </dd>
          <dt>{t("log.blockNumber")}</dt>
          <dd translate="no">{log.blockNumber}</dd>
          <dt>{t("log.blockHash")}</dt>
          <dd>
            <Hash value={log.blockHash} full />
          </dd>
          <dt>{t("log.transaction")}</dt>
          <dd>
            <Hash value={log.transactionHash} full href={`/log?q=${log.transactionHash}`} />
          </dd>
          <dt>{t("log.logIndex")}</dt>
          <dd translate="no">{log.logIndex}</dd>
          <dt>{t("log.leafHash")}</dt>
          <dd>
            <Hash value={entry.leafHash} full />
          </dd>
        </dl>
      </div>
      <ChainBlock entry={entry} />
      {event && Object.keys(event.args).length > 0 && (
        <>
          <h2>{t("log.arguments")}</h2>
          <div className="table-scroll card">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("log.argName")}</th>
                  <th scope="col">{t("log.argValue")}</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(event.args).map(([name, value]) => (
                  <tr key={name}>
                    <th scope="row" translate="no">
                      {name}
                    </th>
                    <td>
                      <ArgValue value={value} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <h2>{t("log.rawLog")}</h2>
      <h3>{t("log.topics")}</h3>
      <ol className="card">
        {log.topics.map((topic) => (
          <li key={topic}>
            <Hash value={topic} full />
          </li>
        ))}
      </ol>
      <h3>{t("log.data")}</h3>
      <pre translate="no">{log.data}</pre>
      <h3>{t("log.leafInput")}</h3>
      <pre translate="no">{entry.leafInput}</pre>
    </>
  );
}

/** The entry's block as the chain has it (through the SDK's viem client), when the node publishes an RPC. */
function ChainBlock({ entry }: { entry: EntryJson }) {
  const t = useT();
  const format = useFormat();
  const city = useCity();
  const client = city.data?.client;
  const block = useQuery({
    queryKey: ["chain", "block", entry.log.blockNumber],
    queryFn: () => client!.publicClient.getBlock({ blockNumber: BigInt(entry.log.blockNumber) }),
    enabled: client !== undefined,
    staleTime: Infinity,
  });
  if (city.data && !client) return <p className="muted">{t("log.noRpc")}</p>;
  if (!block.data) return null;
  const same = block.data.hash?.toLowerCase() === entry.log.blockHash;
  return (
    <section className="card" aria-labelledby="chain-block">
      <h2 id="chain-block">{t("log.fromChain")}</h2>
      <p className={same ? "verdict verdict-ok" : "verdict verdict-fail"}>
        {t(same ? "log.blockOnChain" : "log.blockMismatch", { block: entry.log.blockNumber })}
      </p>
      <dl className="facts">
        <dt>{t("log.blockTime")}</dt>
        <dd>{format.dateTime(block.data.timestamp)}</dd>
        <dt>{t("log.blockHash")}</dt>
        <dd>{block.data.hash && <Hash value={block.data.hash} full />}</dd>
      </dl>
    </section>
  );
}
