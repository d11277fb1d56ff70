import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('TwoFactorStatus', { description: "The signed-in user's two-factor sign-in (TOTP, RFC 6238)" })
export class TwoFactorStatusModel {
  @Field({ description: 'Sign-in asks for a code; mail clients (IMAP, POP3, SMTP) need app passwords' })
  enabled: boolean;

  @Field({ description: "The user's domain requires two-factor sign-in" })
  required: boolean;

  @Field(() => Int, { description: 'Unused recovery codes' })
  recoveryCodesLeft: number;
}

@ObjectType('TwoFactorEnrolment', {
  description: 'A new secret for the authenticator app; confirmTwoFactor with its first code turns it on',
})
export class TwoFactorEnrolmentModel {
  @Field({ description: 'Base32 secret, for typing into an app' })
  secret: string;

  @Field({ description: 'otpauth://totp/ URI, for the QR code' })
  uri: string;
}
