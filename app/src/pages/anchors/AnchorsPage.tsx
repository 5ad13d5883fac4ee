import { useQuery } from "@tanstack/react-query";
import { Link } from "wouter";
import { useCity, type City } from "../../api/city";
import { useT, type MessageKey } from "../../i18n";
import { Hash } from "../../ui/Hash";
import { PageTitle } from "../../ui/PageTitle";
import { Loading, QueryState } from "../../ui/States";
import { verifyExtendsLastAnchor } from "../verify/checks";
import { Result } from "../verify/StepList";
import { lastAnchor, useAnchors, useLatestAnchorOnChain, type AnchorRecord } from "./anchors";

export default function AnchorsPage() {
  const t = useT();
  const city = useCity();
  const anchors = useAnchors();
  return (
    <>
      <PageTitle title={t("anchors.title")}>{t("anchors.title")}</PageTitle>
      <p className="lead">{t("anchors.lead")}</p>
      <QueryState query={city}>
        {(c) => (
          <QueryState query={anchors}>
            {(list) => (
              <>
                <Extends city={c} anchors={list} />
                <AnchorList city={c} anchors={list} />
              </>
            )}
          </QueryState>
        )}
      </QueryState>
    </>
  );
}

/** The node's current checkpoint against the last anchor, checked in the browser (again as anchors arrive). */
function Extends({ city, anchors }: { city: City; anchors: AnchorRecord[] }) {
  const t = useT();
  const last = anchors.at(-1);
  const run = useQuery({
    queryKey: ["verify", "extends", anchors.length, city.node.verifierKey],
    queryFn: async () => {
      const anchor = await lastAnchor(city, anchors);
      return { anchor, steps: await verifyExtendsLastAnchor(city.node.verifierKey, anchor) };
    },
  });
  const size = run.data?.steps[0]?.facts.size;
  return (
    <section aria-labelledby="extends">
      <h2 id="extends">{t("anchors.extendsTitle")}</h2>
      {run.data ? (
        <Result
          steps={run.data.steps}
          fetching={false}
          ok={t(run.data.anchor ? "anchors.extendsOk" : "anchors.extendsNone", { size: String(size ?? ""), anchored: run.data.anchor?.size ?? last?.size ?? 0 })}
          fail={(step) => t("anchors.extendsFail", { step })}
        />
      ) : (
        <Loading />
      )}
    </section>
  );
}

function AnchorList({ city, anchors }: { city: City; anchors: AnchorRecord[] }) {
  const t = useT();
  const onChain = useLatestAnchorOnChain(city, anchors.length);
  const witnesses = new Set(city.node.witnesses.map((w) => w.address.toLowerCase()));
  return (
    <section aria-labelledby="anchor-list">
      <h2 id="anchor-list">{t("anchors.nav")}</h2>
      <p>{t("anchors.count", { count: anchors.length })}</p>
      <ol className="entries" reversed>
        {[...anchors].reverse().map((a, i) => (
          <li key={a.index} className="entry card">
            <h3 className="entry-head">{t("anchors.anchor", { index: a.index })}</h3>
            {i === 0 && onChain.data && (
              <p className={onChain.data.size === a.size && onChain.data.root === a.root ? "badge badge-ok" : "badge badge-fail"}>
                {onChain.data.size === a.size && onChain.data.root === a.root
                  ? t("anchors.chainMatches")
                  : t("anchors.chainDiffers", { size: onChain.data.size })}
              </p>
            )}
            <dl className="facts">
              <dt>{t("anchors.size")}</dt>
              <dd translate="no">{a.size}</dd>
              <dt>{t("anchors.root")}</dt>
              <dd>
                <Hash value={a.root} full />
              </dd>
              <dt>{t("anchors.signers")}</dt>
              <dd>
                <ul>
                  {a.signers.map((s) => (
                    <li key={s}>
                      <Hash value={s} href={`/log?q=${s}`} />{" "}
                      <span className="muted small">{t((witnesses.has(s.toLowerCase()) ? "anchors.witness" : "anchors.notWitness") as MessageKey)}</span>
                    </li>
                  ))}
                </ul>
              </dd>
              <dt>{t("anchors.transaction")}</dt>
              <dd>
                <Hash value={a.entry.log.transactionHash} href={`/log?q=${a.entry.log.transactionHash}`} />
              </dd>
              <dt>{t("anchors.block")}</dt>
              <dd translate="no">{a.entry.log.blockNumber}</dd>
              <dt>{t("anchors.entry")}</dt>
              <dd>
                <Link href={`/log/${a.entry.seq}`}>#{a.entry.seq}</Link>
              </dd>
            </dl>
          </li>
        ))}
      </ol>
    </section>
  );
}
