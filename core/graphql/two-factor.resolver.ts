import { UseGuards } from '@nestjs/common';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import type { Account } from '../accounts/account.js';
import { AuthService } from '../accounts/auth.service.js';
import { MAX_SECOND_FACTOR_LENGTH, TwoFactorError, TwoFactorService, type TwoFactorErrorCode } from '../accounts/two-factor.service.js';
import { AllowedBeforeEnrolment, AuthenticatedGuard, CurrentAccount } from './authenticated.guard.js';
import type { GraphqlContext } from './graphql-context.js';
import { loginArgumentsRefusal, loginRefused } from './session.resolver.js';
import { TwoFactorEnrolmentModel, TwoFactorStatusModel } from './two-factor.model.js';

const ERROR_CODES: Record<TwoFactorErrorCode, string> = {
  ALREADY_ENABLED: 'BAD_USER_INPUT',
  NOT_ENROLLING: 'BAD_USER_INPUT',
  NOT_ENABLED: 'BAD_USER_INPUT',
  INVALID_CODE: 'INVALID_SECOND_FACTOR',
};

/** Runs a two-factor change and maps its refusals to GraphQL errors. */
async function mapped<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof TwoFactorError) throw new GraphQLError(error.message, { extensions: { code: ERROR_CODES[error.code] } });
    throw error;
  }
}

function checkCode(code: string): void {
  if (code.length > MAX_SECOND_FACTOR_LENGTH)
    throw new GraphQLError(`code may have at most ${MAX_SECOND_FACTOR_LENGTH} characters`, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** The signed-in user's own two-factor sign-in: enrol, confirm, recovery codes, turn off. */
@Resolver()
@UseGuards(AuthenticatedGuard)
export class TwoFactorResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly factors: TwoFactorService,
  ) {}

  @Query(() => TwoFactorStatusModel)
  @AllowedBeforeEnrolment()
  twoFactor(@CurrentAccount() account: Account): Promise<TwoFactorStatusModel> {
    return this.factors.status(account);
  }

  @Mutation(() => TwoFactorEnrolmentModel, {
    description: 'Starts enrolment after checking the password: a new secret, which signs in only after confirmTwoFactor',
  })
  @AllowedBeforeEnrolment()
  async beginTwoFactorEnrolment(
    @CurrentAccount() account: Account,
    @Args('password') password: string,
    @Context() context: GraphqlContext,
  ): Promise<TwoFactorEnrolmentModel> {
    await this.checkPassword(account, password, context);
    return mapped(() => this.factors.begin(account));
  }

  @Mutation(() => [String], {
    description: 'Turns two-factor sign-in on with a code of the new secret; returns ten one-time recovery codes, shown only here',
  })
  @AllowedBeforeEnrolment()
  confirmTwoFactor(@CurrentAccount() account: Account, @Args('code') code: string): Promise<string[]> {
    checkCode(code);
    return mapped(() => this.factors.confirm(account.id, code));
  }

  @Mutation(() => [String], { description: 'Replaces the recovery codes after a valid code; returns the new ones, shown only here' })
  regenerateRecoveryCodes(@CurrentAccount() account: Account, @Args('code') code: string): Promise<string[]> {
    checkCode(code);
    return mapped(() => this.factors.regenerateRecoveryCodes(account.id, code));
  }

  @Mutation(() => Boolean, { description: 'Turns two-factor sign-in off with the password and a code (or a recovery code)' })
  async disableTwoFactor(
    @CurrentAccount() account: Account,
    @Args('password') password: string,
    @Args('code') code: string,
    @Context() context: GraphqlContext,
  ): Promise<boolean> {
    checkCode(code);
    await this.checkPassword(account, password, context);
    if ((await this.factors.status(account)).required)
      throw new GraphQLError('the domain requires two-factor sign-in', { extensions: { code: 'FORBIDDEN' } });
    await mapped(() => this.factors.disable(account.id, code));
    return true;
  }

  /** The password goes through the throttled login path, so a stolen session cannot guess it freely. */
  private async checkPassword(account: Account, password: string, context: GraphqlContext): Promise<void> {
    const refusal = loginArgumentsRefusal(account.address, password);
    if (refusal) throw refusal;
    const result = await this.auth.authenticate({
      username: account.address,
      password,
      remoteAddress: context.remoteAddress,
      protocol: 'graphql',
      access: 'any',
    });
    if (!result.ok) throw loginRefused(result.reason);
  }
}
