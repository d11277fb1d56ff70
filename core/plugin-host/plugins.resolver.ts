import { UseGuards } from '@nestjs/common';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { AuthenticatedGuard, CurrentAccount } from '../graphql/authenticated.guard.js';
import type { Principal } from '../accounts/principal.js';
import { PluginError } from './plugin-api.js';
import type { PluginDescription } from './plugin-host.service.js';
import { PluginHost } from './plugin-host.service.js';
import { PluginModel } from './plugin.model.js';
import type { PluginChangeResult } from './plugins.service.js';

export function toPluginModel(plugin: PluginDescription): PluginModel {
  return {
    name: plugin.name,
    description: plugin.description,
    order: plugin.order,
    state: plugin.state,
    error: plugin.error,
    failOpen: plugin.failOpen,
    hooks: plugin.hooks,
    listeners: plugin.listeners,
    transforms: plugin.transforms,
    queries: plugin.graphql.queries,
    mutations: plugin.graphql.mutations,
    config: plugin.config.map((field) => ({
      key: field.key,
      type: field.type,
      help: field.help,
      defaultJson: JSON.stringify(field.default),
      valueJson: field.secret && field.value ? JSON.stringify('****') : JSON.stringify(field.value),
    })),
  };
}

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** A lifecycle or configuration change's result as the API returns it: the plugin, or the refusal as an error. */
export function changed(result: PluginChangeResult): PluginModel {
  if (result.ok) return toPluginModel(result.plugin);
  if (result.reason === 'unknown') throw new GraphQLError(result.errors[0]!, { extensions: { code: 'NOT_FOUND' } });
  throw badInput(`invalid configuration: ${result.errors.join('; ')}`);
}

export function jsonObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badInput(`${what} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badInput(`${what} must be a JSON object`);
  return value as Record<string, unknown>;
}

/**
 * Each enabled plugin's own fields under its name (`pluginQuery`, `pluginMutation`), for signed-in callers. Their
 * administration (list, enable, disable, configure, reload) is WebAdmin's admin API.
 */
@Resolver()
export class PluginsResolver {
  constructor(private readonly host: PluginHost) {}

  @UseGuards(AuthenticatedGuard)
  @Query(() => String, { description: 'Calls a query of an enabled plugin; arguments and result are JSON' })
  pluginQuery(
    @CurrentAccount() account: Principal,
    @Args('plugin') plugin: string,
    @Args('field') field: string,
    @Args('argsJson', { defaultValue: '{}' }) argsJson: string,
  ): Promise<string> {
    return this.call(account, plugin, 'queries', field, argsJson);
  }

  @UseGuards(AuthenticatedGuard)
  @Mutation(() => String, { description: 'Calls a mutation of an enabled plugin; arguments and result are JSON' })
  pluginMutation(
    @CurrentAccount() account: Principal,
    @Args('plugin') plugin: string,
    @Args('field') field: string,
    @Args('argsJson', { defaultValue: '{}' }) argsJson: string,
  ): Promise<string> {
    return this.call(account, plugin, 'mutations', field, argsJson);
  }

  private async call(account: Principal, plugin: string, kind: 'queries' | 'mutations', field: string, argsJson: string): Promise<string> {
    const found = this.host.graphqlField(plugin, kind, field);
    // A disabled plugin's fields are gone, as if it had never had them.
    if (!found)
      throw new GraphQLError(`plugin ${plugin} has no ${kind === 'queries' ? 'query' : 'mutation'} ${field}`, {
        extensions: { code: 'NOT_FOUND' },
      });
    const args = jsonObject(argsJson, 'argsJson');
    try {
      const result = await found.field.resolve(args, { address: account.address, role: account.role }, found.context);
      return JSON.stringify(result ?? null);
    } catch (error) {
      if (error instanceof PluginError) throw new GraphQLError(error.message, { extensions: { code: error.code } });
      throw error;
    }
  }
}
