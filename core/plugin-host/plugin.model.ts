import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('PluginHook', { description: 'A hook a plugin answers, with its priority (-100..100, higher first) and timeout' })
export class PluginHookModel {
  @Field()
  name: string;

  @Field(() => Int)
  priority: number;

  @Field(() => Int)
  timeoutMs: number;
}

@ObjectType('PluginConfigField', { description: 'One configuration key of a plugin; values travel as JSON text' })
export class PluginConfigFieldModel {
  @Field()
  key: string;

  @Field({ description: 'string, number, boolean or string[]' })
  type: string;

  @Field()
  help: string;

  @Field({ description: 'The default, as JSON' })
  defaultJson: string;

  @Field({ description: 'The value in force, as JSON (a secret shows as "****")' })
  valueJson: string;
}

@ObjectType('Plugin', { description: 'A plugin named in MAILHIVE_PLUGINS, its state, hooks and configuration' })
export class PluginModel {
  @Field()
  name: string;

  @Field()
  description: string;

  @Field(() => Int, { description: 'Position in MAILHIVE_PLUGINS: breaks ties between equal priorities' })
  order: number;

  @Field({ description: 'enabled, disabled or failed' })
  state: string;

  @Field(() => String, { nullable: true, description: 'Why it failed to load or set up' })
  error: string | null;

  @Field()
  failOpen: boolean;

  @Field(() => [PluginHookModel])
  hooks: PluginHookModel[];

  @Field(() => [String], { description: 'Storage events it listens to' })
  listeners: string[];

  @Field(() => [String], { description: 'The messages it rewrites (message.send: outgoing mail)' })
  transforms: string[];

  @Field(() => [String], { description: 'Its GraphQL queries (pluginQuery)' })
  queries: string[];

  @Field(() => [String], { description: 'Its GraphQL mutations (pluginMutation)' })
  mutations: string[];

  @Field(() => [PluginConfigFieldModel])
  config: PluginConfigFieldModel[];
}
