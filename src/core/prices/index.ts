export { forgetPriceLookups, keepPriceLookups, lookupPrice, LOCAL_MODEL_REASON, priceDatabase, priceLookups, refreshPrices, savePriceLookups, rateAt, type ModelPricing, type PriceLookup, type CustomPrice, type PriceRate } from './lookup';
export { computeCost, perCallBreakdown, BATCH_DISCOUNT, DEFAULT_DAYS_PER_MONTH, type CallTokens, type TrafficVolume } from './cost';
export { PRICE_DATA } from './priceData.generated';
export { priceDataInfo, PRICE_DATA_URL, PRICE_URL_ENV, priceCacheFile, type UpdateResult } from './refresh';
