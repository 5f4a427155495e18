import { Injectable } from '@nestjs/common';
import { DEFAULT_EXCHANGE, type Exchange, type TradingMode } from '../../../domain/market';
import { AuditService } from '../../audit/audit.service';
import { keysetPageSql, type Page, toPage } from '../../common/pagination';
import { notFound, ruleViolation } from '../../common/problem';
import { SqlParams } from '../../database/sql-params';
import { Transactions } from '../../database/transactions';
import { BrokerConnectionsService, connectionNotFound } from '../broker-connections/broker-connections.service';
import { BrokerRegistry } from '../brokers/broker-registry';
import { OrdersService } from '../orders/orders.service';
import {
  type TradeIntentResponseDto,
  type TradeIntentRow,
  toTradeIntentResponse,
} from './dto/trade-intent-response.dto';
import { illegalTransition, statusesLeadingTo } from './intent-status';
import type { IntentStatus, OrderSide, OrderType, Product } from './trade-intent.entity';
import { checkOrderPrices } from './trade-intent.rules';

const INTENT_VIEW = `i.id, i.symbol, i.exchange, i.side, i.quantity, i.order_type AS "orderType",
  i.limit_price AS "limitPrice", i.trigger_price AS "triggerPrice", i.product, i.mode, i.status,
  i.status_reason AS "statusReason", i.connection_id AS "connectionId",
  i.created_at AS "createdAt", i.updated_at AS "updatedAt", i.submitted_at AS "submittedAt"`;

export interface NewTradeIntent {
  symbol: string;
  exchange?: Exchange;
  side: OrderSide;
  quantity: number;
  orderType: OrderType;
  limitPrice?: string;
  triggerPrice?: string;
  product: Product;
  mode: TradingMode;
}

/** What the audit trail keeps of an intent: its fields, not the bookkeeping timestamps. */
const auditedIntent = ({ createdAt: _c, updatedAt: _u, submittedAt: _s, ...intent }: TradeIntentResponseDto) => intent;

/**
 * The caller's trade intents and their status machine (`intent-status.ts`). Every move is one
 * statement that locks the intent, checks its status and updates it: concurrent moves run one
 * after the other, each sees the status the one before left, and a move that is illegal by
 * then gets 409 (two submits of one draft: exactly one wins). Never a lost update.
 */
@Injectable()
export class TradeIntentsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly connections: BrokerConnectionsService,
    private readonly brokers: BrokerRegistry,
    private readonly orders: OrdersService,
    private readonly audit: AuditService,
  ) {}

  async create(userId: string, input: NewTradeIntent): Promise<TradeIntentResponseDto> {
    const violations = checkOrderPrices(input);
    if (violations.length > 0) throw ruleViolation(`The prices do not fit a ${input.orderType} order.`, violations);
    const [row] = await this.transactions.rows<TradeIntentRow>(
      `INSERT INTO trade_intents AS i (user_id, symbol, exchange, side, quantity, order_type, limit_price, trigger_price, product, mode)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${INTENT_VIEW}`,
      [
        userId,
        input.symbol,
        input.exchange ?? DEFAULT_EXCHANGE,
        input.side,
        input.quantity,
        input.orderType,
        input.limitPrice ?? null,
        input.triggerPrice ?? null,
        input.product,
        input.mode,
      ],
    );
    const created = toTradeIntentResponse(row);
    this.audit.record({ action: 'create', before: null, after: auditedIntent(created) });
    return created;
  }

  async list(
    userId: string,
    query: { status?: IntentStatus; limit: number; cursor?: string },
  ): Promise<Page<TradeIntentResponseDto>> {
    const params = new SqlParams();
    const conditions = [`i.user_id = ${params.add(userId)}`];
    if (query.status) conditions.push(`i.status = ${params.add(query.status)}`);
    const rows = await this.transactions.rows<TradeIntentRow>(
      keysetPageSql({
        select: INTENT_VIEW,
        table: 'trade_intents',
        alias: 'i',
        timeColumn: 'created_at',
        conditions,
        params,
        ...query,
      }),
      params.values,
    );
    return toPage(rows, query.limit, (r) => ({ at: r.createdAt, id: r.id }), toTradeIntentResponse);
  }

  async get(userId: string, id: string): Promise<TradeIntentResponseDto> {
    const [row] = await this.transactions.rows<TradeIntentRow>(
      `SELECT ${INTENT_VIEW} FROM trade_intents i WHERE i.id = $1 AND i.user_id = $2`,
      [id, userId],
    );
    if (!row) throw intentNotFound();
    return toTradeIntentResponse(row);
  }

  /**
   * draft → submitted → (the broker's answer) open / rejected / filled, in one transaction:
   * the connection is locked against revocation, the intent against other moves, and the
   * order is placed and recorded before anything commits.
   */
  async submit(userId: string, id: string, connectionId: string): Promise<TradeIntentResponseDto> {
    const connection = await this.connections.open(userId, connectionId, true);
    if (!connection) throw connectionNotFound();
    const adapter = this.brokers.adapterFor(connection.broker);
    const submitted = await this.transition(userId, id, 'submitted', (p) => [
      `connection_id = ${p.add(connectionId)}`,
      'submitted_at = now()',
    ]);
    const state = await this.orders.place(userId, submitted.after, connection.session, adapter);
    const placed = await this.transition(userId, id, state.status, (p) => [`status_reason = ${p.add(state.reason)}`]);
    this.audit.record({
      action: 'submit',
      before: auditedIntent(submitted.before),
      after: auditedIntent(placed.after),
    });
    return placed.after;
  }

  /** Cancels the intent and, when its order is live at the broker, the order too (409 if the broker cannot). */
  async cancel(userId: string, id: string): Promise<TradeIntentResponseDto> {
    const { before, after } = await this.transition(userId, id, 'cancelled');
    if (before.status !== 'draft') await this.orders.cancelForIntent(userId, id);
    this.audit.record({ action: 'cancel', before: auditedIntent(before), after: auditedIntent(after) });
    return after;
  }

  /**
   * Moves an intent to `to` in one statement: lock the row, check that its status leads to
   * `to`, update it. 404 when the caller has no such intent, 409 when the move is illegal.
   */
  private async transition(
    userId: string,
    id: string,
    to: IntentStatus,
    extraSets: (params: SqlParams) => string[] = () => [],
  ): Promise<{ before: TradeIntentResponseDto; after: TradeIntentResponseDto }> {
    const p = new SqlParams();
    const sets = [`status = ${p.add(to)}`, 'updated_at = now()', ...extraSets(p)];
    const rows = await this.transactions.rows<TradeIntentRow & { version: 'before' | 'after' }>(
      `WITH old AS (
         SELECT * FROM trade_intents WHERE id = ${p.add(id)} AND user_id = ${p.add(userId)} FOR UPDATE
       ), moved AS (
         UPDATE trade_intents t SET ${sets.join(', ')} FROM old
          WHERE t.id = old.id AND old.status = ANY(${p.add(statusesLeadingTo(to))}) RETURNING t.*
       )
       SELECT 'before' AS version, ${INTENT_VIEW} FROM old i
       UNION ALL
       SELECT 'after' AS version, ${INTENT_VIEW} FROM moved i`,
      p.values,
    );
    const before = rows.find((r) => r.version === 'before');
    const after = rows.find((r) => r.version === 'after');
    if (!before) throw intentNotFound();
    if (!after) throw illegalTransition(before.status, to);
    return { before: toTradeIntentResponse(before), after: toTradeIntentResponse(after) };
  }
}

function intentNotFound() {
  return notFound('No such trade intent.');
}
