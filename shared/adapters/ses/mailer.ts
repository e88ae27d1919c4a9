import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Email, Mailer } from '../../use-cases/reports/ports.ts';
import { toDomainError } from '../aws-errors.ts';

/** SES v2: one message per call, to one address, with HTML and text bodies. */
export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly from: string,
  ) {}

  async send(email: Email): Promise<{ messageId: string }> {
    try {
      const out = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: this.from,
          Destination: { ToAddresses: [email.to] },
          Content: {
            Simple: {
              Subject: { Data: email.subject, Charset: 'UTF-8' },
              Body: {
                Text: { Data: email.text, Charset: 'UTF-8' },
                Html: { Data: email.html, Charset: 'UTF-8' },
              },
            },
          },
        }),
      );
      return { messageId: out.MessageId ?? '' };
    } catch (err) {
      throw toDomainError(err, 'SES');
    }
  }
}
