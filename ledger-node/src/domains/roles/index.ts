/** Who may do what (CityAuthority): roles, holders, target functions, delayed operations. Read through the queries only. */
import { defineDomain } from "../domain";
import { rolesProjection } from "./projection";
import { rolesQueries } from "./queries";

export * from "./projection";
export * from "./queries";

export const roles = defineDomain({ name: "roles", projection: rolesProjection, queries: rolesQueries });
