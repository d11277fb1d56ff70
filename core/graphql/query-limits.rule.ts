import {
  getNamedType,
  GraphQLError,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  Kind,
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

export interface QueryLimits {
  /** Deepest field nesting allowed in one operation (introspection fields are not counted). */
  maxDepth: number;
  /** Highest estimated cost: every field costs its declared cost (1 by default), times the expected length of each list above it. */
  maxCost: number;
  /** A field declared to cost at least this much is expensive: how often it may run in one operation is limited too. */
  expensiveFieldCost: number;
  /** Times one expensive field may run in one operation: aliases, fragments and list items all count. */
  maxExpensiveFieldUses: number;
  /** Page size assumed for a `first`/`limit` argument given as a variable (validation runs before variables are known). */
  defaultPageSize: number;
  /** Length assumed for a list field without a page-size argument. */
  defaultListLength: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 12,
  maxCost: 50_000,
  expensiveFieldCost: 20,
  maxExpensiveFieldUses: 10,
  defaultPageSize: 50,
  defaultListLength: 10,
};

/**
 * How a schema declares what a field costs, read from GraphQL extensions: on the field, `@Extensions({ cost: 50 })`
 * (or `@Field({ complexity: 50 })`); on a type whose fields are resolved elsewhere, `@Extensions({ fieldCosts: { html: 100 } })`.
 */
export interface FieldCostExtensions {
  cost?: number;
  complexity?: unknown;
  fieldCosts?: Record<string, number>;
}

function fieldCost(parent: GraphQLNamedType, definition: GraphQLField<unknown, unknown>): number {
  const own = definition.extensions as FieldCostExtensions;
  if (typeof own.cost === 'number') return own.cost;
  if (typeof own.complexity === 'number') return own.complexity;
  const listed = (parent.extensions as FieldCostExtensions).fieldCosts?.[definition.name];
  return typeof listed === 'number' ? listed : 1;
}

interface Measure {
  depth: number;
  cost: number;
  /** Expected runs of each expensive field, by `Type.field`. */
  uses: Map<string, number>;
}

function addUses(into: Map<string, number>, from: Map<string, number>, times: number): void {
  for (const [key, count] of from) into.set(key, (into.get(key) ?? 0) + count * times);
}

function queryTooComplex(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX' } });
}

/** The literal page size of a paged field, the default for a variable, null when the field is not paged. */
function pageSize(field: FieldNode, fallback: number): number | null {
  const argument = field.arguments?.find((arg) => arg.name.value === 'first' || arg.name.value === 'limit');
  if (!argument) return null;
  return argument.value.kind === Kind.INT ? Math.max(1, Number(argument.value.value)) : fallback;
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/**
 * A validation rule that refuses operations nested deeper than `maxDepth`, running an expensive field (a message
 * body: parsing and sanitising) more than `maxExpensiveFieldUses` times, or costing more than `maxCost`, before
 * any resolver runs, so one request cannot make the server walk an unbounded graph (thread → thread → ...) or
 * sanitise the same big mail twenty times under twenty aliases.
 * A paged field (`first:`) multiplies its subtree by the page size, and the list right under it is that page;
 * any other list multiplies by `defaultListLength`. Introspection fields (`__*`) are not counted: introspection
 * is switched on or off on its own.
 */
export function queryLimitsRule(limits: QueryLimits = DEFAULT_QUERY_LIMITS) {
  return (context: ValidationContext): ASTVisitor => {
    const schema = context.getSchema();
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    // `seen` stops fragment cycles (reported by another rule).
    const measure = (set: SelectionSetNode, parent: GraphQLNamedType | undefined, paged: boolean, seen: Set<string>): Measure => {
      const result: Measure = { depth: 0, cost: 0, uses: new Map() };
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          if (selection.name.value.startsWith('__')) continue;
          const definition =
            parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[selection.name.value] : undefined;
          const page = pageSize(selection, limits.defaultPageSize);
          const list = definition ? isList(definition.type) : false;
          const multiplier = page ?? (list && !paged ? limits.defaultListLength : 1);
          const own = parent && definition ? fieldCost(parent, definition) : 1;
          const child = selection.selectionSet
            ? measure(selection.selectionSet, definition ? getNamedType(definition.type) : undefined, page !== null, seen)
            : { depth: 0, cost: 0, uses: new Map<string, number>() };
          result.depth = Math.max(result.depth, 1 + child.depth);
          result.cost += multiplier * (own + child.cost);
          if (parent && definition && own >= limits.expensiveFieldCost) {
            const key = `${parent.name}.${definition.name}`;
            child.uses.set(key, (child.uses.get(key) ?? 0) + 1);
          }
          addUses(result.uses, child.uses, multiplier);
        } else {
          const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
          const name = selection.kind === Kind.FRAGMENT_SPREAD ? selection.name.value : null;
          if (!fragment || (name && seen.has(name))) continue;
          const condition = fragment.typeCondition ? (schema.getType(fragment.typeCondition.name.value) ?? parent) : parent;
          const child = measure(fragment.selectionSet, condition, paged, name ? new Set([...seen, name]) : seen);
          result.depth = Math.max(result.depth, child.depth);
          result.cost += child.cost;
          addUses(result.uses, child.uses, 1);
        }
        if (result.cost > limits.maxCost * 10) break;
      }
      return result;
    };
    return {
      OperationDefinition(node) {
        const root =
          node.operation === 'query'
            ? schema.getQueryType()
            : node.operation === 'mutation'
              ? schema.getMutationType()
              : schema.getSubscriptionType();
        const { depth, cost, uses } = measure(node.selectionSet, root ?? undefined, false, new Set());
        const [field, count] = [...uses].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
        if (depth > limits.maxDepth) {
          context.reportError(queryTooComplex(`query depth ${depth} exceeds the limit of ${limits.maxDepth}`));
        } else if (count > limits.maxExpensiveFieldUses) {
          context.reportError(
            queryTooComplex(
              `${field} is asked for ${count} times (aliases and list items count); at most ${limits.maxExpensiveFieldUses} in one operation`,
            ),
          );
        } else if (cost > limits.maxCost) {
          context.reportError(queryTooComplex(`query cost ${cost} exceeds the limit of ${limits.maxCost}`));
        }
      },
    };
  };
}
