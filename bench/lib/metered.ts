import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';

/**
 * A document client that counts what the stores' Queries cost: calls, and read units as DynamoDB
 * bills them. Each Query asks for its consumed capacity (ReturnConsumedCapacity TOTAL): the size
 * of what it read rounded up to 4 KB, half a unit per 4 KB for an eventually consistent read. A
 * Query that finds nothing still costs the minimum, half a unit: AWS bills it ("queries that do
 * not return results consume the minimum read capacity units according to the type of read"),
 * DynamoDB Local reports 0, so the minimum is applied here.
 */
export interface Meter {
  client: DynamoDBDocumentClient;
  /** Calls and read units since the last take, and reset. */
  take(): { queries: number; readUnits: number };
}

const MIN_QUERY_UNITS = 0.5;

export function metered(client: DynamoDBDocumentClient): Meter {
  let queries = 0;
  let readUnits = 0;
  const wrapped = Object.create(client) as DynamoDBDocumentClient;
  wrapped.send = (async (command: unknown, ...rest: unknown[]) => {
    if (!(command instanceof QueryCommand))
      return (client.send as (...a: unknown[]) => unknown)(command, ...rest);
    command.input.ReturnConsumedCapacity = 'TOTAL';
    const out = (await (client.send as (...a: unknown[]) => Promise<unknown>)(command, ...rest)) as {
      ConsumedCapacity?: { CapacityUnits?: number };
    };
    queries++;
    readUnits += Math.max(MIN_QUERY_UNITS, out.ConsumedCapacity?.CapacityUnits ?? 0);
    return out;
  }) as DynamoDBDocumentClient['send'];
  return {
    client: wrapped,
    take: () => {
      const taken = { queries, readUnits };
      queries = 0;
      readUnits = 0;
      return taken;
    },
  };
}
