/**
 * `@cityledger/sdk/datause`: access records (the one leaf encoding, roots, proofs, pseudonyms), the findings behind
 * them (violations), the monthly bulletin computed from the log's facts, its signature and its formats. Browser-safe.
 * @packageDocumentation
 */
export {
  ACCESS_BUCKET_SECONDS,
  ACCESS_CATEGORIES,
  InvalidAccessRecordError,
  accessRecordsRoot,
  accessRecordsTree,
  checkAccessRecord,
  encodeAccessRecord,
  formatPeriod,
  parsePeriod,
  periodBounds,
  periodOf,
  previousPeriod,
  pseudonymOf,
  saltHashOf,
  verifyAccessRecord,
  type AccessCategoryName,
  type AccessRecord,
} from "./records";
export {
  BULLETIN_TABLES,
  BULLETIN_TREND_MONTHS,
  BulletinSignatureError,
  bulletinDigest,
  computeBulletin,
  consentIntervals,
  recordFindings,
  signBulletin,
  verifyBulletin,
  type BatchFact,
  type BulletinBatchRow,
  type BulletinCategoryRow,
  type BulletinPurposeLine,
  type BulletinTable,
  type BulletinTrendRow,
  type BulletinViolationRow,
  type ConsentFact,
  type ConsentInterval,
  type DataUseBulletin,
  type DataUseFacts,
  type MemberFact,
  type PurposeFact,
  type RecordFinding,
  type ViolationKind,
} from "./bulletin";
export { bulletinCsv, bulletinHtml, bulletinMarkdown, bulletinRows } from "./render";
