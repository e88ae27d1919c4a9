/** Credentials the local stand-ins accept (they do not check signatures). Never used in AWS. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
