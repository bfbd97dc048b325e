export { DEFAULT_RULES } from './defaults.ts';
export { mergeRules, validateRules, deepMerge, RulesError } from './merge.ts';
export { rulesSchema, linearKpiRuleSchema, type Rules, type LinearKpiRule } from './schema.ts';
export { RulesBook } from './book.ts';
