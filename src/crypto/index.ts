// The crypto facade: the only door to openpgp. Opaque key wrappers, one options object per call, typed errors.
export {
  PublicKey,
  SecretKey,
  generateIdentity,
  readPublicKey,
  readSecretKey,
  revokeIdentity,
  renameIdentity,
  type GeneratedIdentity,
} from './keys.ts'
export { protectSecretKey } from './key-life.ts'
export { encryptAndSign, decryptAndVerify, type Decrypted } from './messages.ts'
export { signDetached, verifyDetached } from './signatures.ts'
export { canShareSecret, ownSecret, sharedSecret, x25519Public, x25519Secret, SHARED_SECRET_LABEL } from './shared-secret.ts'
export { dearmorMessage, recipientKeyIds } from './recipients.ts'
