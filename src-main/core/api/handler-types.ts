import type { MethodName, ParsedParamsOf, ResultOf } from '../../shared/contract.js';

export type Handler<M extends MethodName> = (params: ParsedParamsOf<M>) => Promise<ResultOf<M>> | ResultOf<M>;

export type Handlers = { [M in MethodName]: Handler<M> };

export type HandlerGroup<M extends MethodName> = { [K in M]: Handler<K> };
