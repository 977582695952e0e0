/**
 * Decisions: customers (screened and risk-rated), deposits and withdrawal attempts decided in real
 * time by CEL policy packs per jurisdiction, shadow runs, alerts, and look-back when lists change.
 */
export type { Alert, AlertKind, AlertQuery } from './alert.js';
export { CONTEXT_TYPES, CONTEXT_VARIABLES, type DecisionContext, EXPOSURE_CATEGORIES } from './context.js';
export {
  assessRisk,
  type Customer,
  DEFAULT_LEGAL_ENTITIES,
  DEFAULT_RISK_SETTINGS,
  type LegalEntityMap,
  RISK_RATINGS,
  type RiskRating,
  type RiskSettings,
} from './customer.js';
export { createCustomersRepository } from './customers.repository.js';
export { customersRoutes } from './customers.routes.js';
export {
  type CustomerInput,
  type CustomerService,
  type CustomerStore,
  createCustomerService,
  type NameScreener,
} from './customers.service.js';
export {
  cachingCustomerStore,
  createDecisionState,
  type DecisionHistory,
  type DecisionState,
} from './decision-state.js';
export { createDecisionsRepository } from './decisions.repository.js';
export { decisionsRoutes } from './decisions.routes.js';
export {
  type AddressScreener,
  createDecisionService,
  DEFAULT_DECISION_SETTINGS,
  type DecisionService,
  type DecisionSettings,
  type DecisionStore,
  type ExposureProvider,
  type PolicySource,
} from './decisions.service.js';
export { createLookbackRepository } from './lookback.repository.js';
export { lookbackRoutes } from './lookback.routes.js';
export {
  createLookbackService,
  DEFAULT_LOOKBACK_SETTINGS,
  type ListDiffSource,
  type LookbackJob,
  type LookbackNameFilter,
  type LookbackService,
  ONE_CONNECTION_LOOKBACK_SETTINGS,
} from './lookback.service.js';
export { builtinPacksDir, ensureBuiltinPacks, readPackFiles } from './pack-files.repository.js';
export { parsePackText } from './pack-format.js';
export { type DecisionResponse, NO_GRAPH_EXPOSURE } from './pipeline.js';
export { createPoliciesRepository } from './policies.repository.js';
export { policiesRoutes } from './policies.routes.js';
export {
  createPolicyService,
  type PolicyService,
  type PolicyStore,
  type PolicyVersion,
} from './policies.service.js';
export {
  ACTIONS,
  type Action,
  compilePack,
  evaluatePacks,
  type PackDefinition,
  type RuleDefinition,
  validatePack,
} from './policy.js';
export type { TransferKind, TransferRequest } from './transfer-input.js';
