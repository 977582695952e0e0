/** Typology detection: the detectors, their configuration, alerts, and a generator of labelled data. */

export {
  type BurstConfig,
  type CycleConfig,
  DEFAULT_TYPOLOGY_CONFIG,
  type FanConfig,
  type GatherScatterConfig,
  type PassThroughConfig,
  type PeelChainConfig,
  parseDurationSeconds,
  parseTypologyConfig,
  type ScatterGatherConfig,
  type StructuringConfig,
  type TypologyConfig,
  type TypologyConfigInput,
} from './config.js';
export { type DetectOptions, detectTypologies } from './detect.js';
export { evaluateAlerts, type TypologyScore, unmatchedAlerts } from './evaluate.js';
export { type GeneratedData, type GenerateOptions, generateTypologyData } from './generate.js';
export {
  type AlertMetrics,
  alertToJson,
  isTypology,
  TYPOLOGIES,
  type Typology,
  type TypologyAlert,
  type TypologyLabel,
} from './model.js';
export { createRng, type Rng } from './random.js';
