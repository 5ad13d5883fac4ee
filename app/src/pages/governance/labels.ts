import type { Translate } from "../../i18n";

/**
 * Names of the city's colleges and districts, shared by every page that breaks a result down by them. The colleges
 * are the registry's numbers (CityRegistry: 0 public, 1 citizens, 2 private partners, 3 associations, as the deploy
 * script wires them); any other number is named by its number.
 */
const COLLEGE_KEYS = ["governance.college0", "governance.college1", "governance.college2", "governance.college3"] as const;

export function collegeName(t: Translate, college: number): string {
  const key = COLLEGE_KEYS[college];
  return key ? t(key) : t("governance.collegeN", { college: String(college) });
}

/** "District 3"; district 0 of a budget envelope is the whole city. */
export function districtName(t: Translate, district: number): string {
  return t("governance.district", { district: String(district) });
}

/** The colleges of a bit mask (bit i = college i), ascending. */
export function collegesOf(mask: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < 16; i++) if ((mask >> i) & 1) out.push(i);
  return out;
}
