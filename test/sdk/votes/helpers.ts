import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The pabulib files stored under test/vectors/pabulib (see its README for sources and licence). */
export const PABULIB_FILES = [
  "Netherlands_Assen_2024.pb",
  "Netherlands_Amsterdam_2022_Rijnbuurt_West.pb",
  "Poland_Warszawa_2017_Aleksandrow.pb",
  "Poland_Wieliczka_2023_Zielony_Milion.pb",
  "Poland_Gdynia_2022_Babie_Doly__small.pb",
  "Poland_Gdynia_2022_Redlowo__large.pb",
  "Switzerland_Zurich_SN.pb",
  "Hungary_Budapest_2023_VIII_Jozsefvaros.pb",
];

/** The text of a stored pabulib file. */
export const readVector = (name: string) => readFileSync(join(__dirname, "..", "..", "vectors", "pabulib", name), "utf8");
