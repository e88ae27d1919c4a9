// A request's input as a handler reads it: the route's zod schema (shared/http/routes/) applied
// to its body, query or path parameters, every bad field named in one 400 problem+json. The
// issue formatting is the domain's (shared/domain/issues.ts), shared with the use cases.

export { parseInput } from '../domain/issues.ts';
