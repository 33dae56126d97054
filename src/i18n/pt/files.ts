import type { Translation } from '../index.ts';
import type { files as english } from '../en/files.ts';

/** Portuguese messages of attachment uploads that proposals and introductions share. */
export const files: Translation<typeof english> = {
  'files.error.malformed': 'O arquivo não chegou completo. Escolha o arquivo PDF novamente e envie-o mais uma vez.',
  'files.error.busy.account':
    'Já está enviando {count} arquivos. Aguarde até que terminem e tente novamente dentro de cerca de {seconds} segundos.',
  'files.error.busy.site':
    'O site está recebendo muitos arquivos neste momento. Tente novamente dentro de cerca de {seconds} segundos.',
  'files.error.quota.proposal.files':
    'Esta proposta já tem {limit} arquivos, o máximo permitido. Remova um antes de adicionar outro.',
  'files.error.quota.proposal.bytes':
    'Com este arquivo, os arquivos da proposta ultrapassariam {limit} MB no total, o máximo permitido.',
  'files.error.quota.introduction.files': 'Esta apresentação já tem {limit} arquivos, o máximo permitido.',
  'files.error.quota.introduction.bytes':
    'Com este arquivo, os arquivos da apresentação ultrapassariam {limit} MB no total, o máximo permitido.',
  'files.error.quota.account.files': 'Você enviou {limit} arquivos, o máximo que uma conta pode enviar.',
  'files.error.quota.account.bytes':
    'Com este arquivo, os seus envios ultrapassariam {limit} MB no total, o máximo que uma conta pode enviar.',
};
