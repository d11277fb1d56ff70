import {
  getNamedType, GraphQLError, isListType, isNonNullType, isObjectType, isInterfaceType, Kind, type ASTVisitor,
  type FieldNode, type FragmentDefinitionNode, type GraphQLNamedType, type GraphQLOutputType, type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

export interface QueryLimits {
  /** Deepest field nesting allowed in one operation (introspection fields are not counted). */
  maxDepth: number;
  /** Highest estimated cost: every field costs 1, times the expected length of each list above it. */
  maxCost: number;
  /** Page size assumed for a `first`/`limit` argument given as a variable (validation runs before variables are known). */
  defaultPageSize: number;
  /** Length assumed for a list field without a page-size argument. */
  defaultListLength: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 12, maxCost: 50_000, defaultPageSize: 50, defaultListLength: 10 };

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
 * A validation rule that refuses operations nested deeper than `maxDepth` or costing more than `maxCost`, before
 * any resolver runs, so one request cannot make the server walk an unbounded graph (thread → thread → ...).
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
    // Returns [depth, cost]; `seen` stops fragment cycles (reported by another rule).
    const measure = (set: SelectionSetNode, parent: GraphQLNamedType | undefined, paged: boolean, seen: Set<string>): [number, number] => {
      let depth = 0;
      let cost = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          if (selection.name.value.startsWith('__')) continue;
          const definition = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[selection.name.value] : undefined;
          const page = pageSize(selection, limits.defaultPageSize);
          const list = definition ? isList(definition.type) : false;
          const multiplier = page ?? (list && !paged ? limits.defaultListLength : 1);
          const [childDepth, childCost] = selection.selectionSet
            ? measure(selection.selectionSet, definition ? getNamedType(definition.type) : undefined, page !== null, seen) : [0, 0];
          depth = Math.max(depth, 1 + childDepth);
          cost += multiplier * (1 + childCost);
        } else {
          const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
          const name = selection.kind === Kind.FRAGMENT_SPREAD ? selection.name.value : null;
          if (!fragment || (name && seen.has(name))) continue;
          const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) ?? parent : parent;
          const [childDepth, childCost] = measure(fragment.selectionSet, condition, paged, name ? new Set([...seen, name]) : seen);
          depth = Math.max(depth, childDepth);
          cost += childCost;
        }
        if (cost > limits.maxCost * 10) break;
      }
      return [depth, cost];
    };
    return {
      OperationDefinition(node) {
        const root = node.operation === 'query' ? schema.getQueryType() : node.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
        const [depth, cost] = measure(node.selectionSet, root ?? undefined, false, new Set());
        if (depth > limits.maxDepth) {
          context.reportError(queryTooComplex(`query depth ${depth} exceeds the limit of ${limits.maxDepth}`));
        } else if (cost > limits.maxCost) {
          context.reportError(queryTooComplex(`query cost ${cost} exceeds the limit of ${limits.maxCost}`));
        }
      },
    };
  };
}
