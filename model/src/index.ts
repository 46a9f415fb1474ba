export * from './attributes';
export * from './kinds';
export * from './limits';
export { ATTRIBUTES, type AttributeSpec, type AttributeType } from './registry';
