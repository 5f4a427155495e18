import { Injectable } from '@nestjs/common';
import { Database } from '../../database/database';
import { TokenCipher } from '../../crypto/token-cipher';
import { BrokerConnectionsRepository, type SealedTokens } from './broker-connections.repository';

/** A broker's tokens in clear text: only ever in memory, for one call. */
export interface PlainTokens {
  accessToken: string;
  refreshToken?: string | null;
}

export interface ReencryptionReport {
  keyVersion: number;
  reencrypted: number;
  batches: number;
  /** Rows still under an older key: locked by a concurrent write at the time (run again). */
  remaining: number;
}

/**
 * How broker tokens are stored: each value AES-256-GCM encrypted under the key ring's newest
 * key and bound to its row and field (`broker_tokens:<row id>:access`), so a ciphertext copied
 * elsewhere does not decrypt. Row ids are generated before encrypting for that reason.
 */
@Injectable()
export class BrokerTokensService {
  constructor(
    private readonly cipher: TokenCipher,
    private readonly repository: BrokerConnectionsRepository,
    private readonly database: Database,
  ) {}

  seal(rowId: string, tokens: PlainTokens): SealedTokens {
    return {
      accessToken: this.cipher.encrypt(tokens.accessToken, context(rowId, 'access')),
      refreshToken: tokens.refreshToken ? this.cipher.encrypt(tokens.refreshToken, context(rowId, 'refresh')) : null,
      keyVersion: this.cipher.keyVersion,
    };
  }

  open(rowId: string, sealed: SealedTokens): Required<PlainTokens> {
    return {
      accessToken: this.cipher.decrypt(sealed.accessToken, sealed.keyVersion, context(rowId, 'access')),
      refreshToken:
        sealed.refreshToken && this.cipher.decrypt(sealed.refreshToken, sealed.keyVersion, context(rowId, 'refresh')),
    };
  }

  /**
   * Moves every row to the newest key (`npm run tokens:reencrypt`): batches of `batchSize`,
   * each one transaction that skips rows other writers hold. Idempotent: rows already under
   * the newest key are not touched. Fails, naming the row, if a row's key is not in the ring.
   */
  async reencryptAll(
    batchSize: number,
    onBatch: (count: number) => void = () => undefined,
  ): Promise<ReencryptionReport> {
    const keyVersion = this.cipher.keyVersion;
    let reencrypted = 0;
    let batches = 0;
    for (;;) {
      const count = await this.database.transaction(() => this.reencryptBatch(keyVersion, batchSize));
      if (count === 0) break;
      reencrypted += count;
      batches += 1;
      onBatch(count);
    }
    const remaining = await this.repository.countTokensNotUnder(keyVersion);
    return { keyVersion, reencrypted, batches, remaining };
  }

  private async reencryptBatch(keyVersion: number, batchSize: number): Promise<number> {
    const rows = await this.repository.lockTokensNotUnder(keyVersion, batchSize);
    if (rows.length === 0) return 0;
    const resealed = rows.map((row) => {
      try {
        return { id: row.id, ...this.seal(row.id, this.open(row.id, row)) };
      } catch (error) {
        throw new Error(
          `broker_tokens row ${row.id} (key version ${row.keyVersion}) cannot be decrypted: ${(error as Error).message}`,
          { cause: error },
        );
      }
    });
    await this.repository.storeResealed(keyVersion, resealed);
    return rows.length;
  }
}

function context(rowId: string, field: 'access' | 'refresh'): string {
  return `broker_tokens:${rowId}:${field}`;
}
