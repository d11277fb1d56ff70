export const DATA_SOURCES = Symbol('DATA_SOURCES');
