import type { Translation } from '../index.ts';
import type { alerts as english } from '../en/alerts.ts';

/** Portuguese messages: saved searches and their email alerts. */
export const alerts: Translation<typeof english> = {
  'alerts.describe.words': '“{q}”',
  'alerts.describe.all': 'Todos os pacotes',

  'alerts.frequency.immediate': 'Assim que um pacote corresponder',
  'alerts.frequency.daily': 'No máximo uma vez por dia',
  'alerts.frequency.weekly': 'No máximo uma vez por semana',
  'alerts.frequency.off': 'Sem e-mail',

  'alerts.save.summary': 'Salvar esta pesquisa e receber alertas por e-mail',
  'alerts.save.hint': 'Enviaremos um e-mail quando um pacote correspondente a esta pesquisa for designado ou atualizado.',
  'alerts.save.name': 'Nome desta pesquisa',
  'alerts.save.frequency': 'Enviar-me e-mails',
  'alerts.save.submit': 'Salvar esta pesquisa',
  'alerts.save.signIn': 'Entre para salvar esta pesquisa',
  'alerts.save.signIn.why': 'e receber um e-mail quando um novo pacote corresponder a ela.',

  'alerts.list.title': 'Pesquisas salvas',
  'alerts.list.lede':
    'Cada pesquisa salva envia um e-mail quando um pacote correspondente é designado ou atualizado, no máximo com a frequência escolhida. Cada uma é também um feed para um leitor de feeds.',
  'alerts.list.none': 'Ainda não tem pesquisas salvas. Pesquise no catálogo e escolha “Salvar esta pesquisa”.',
  'alerts.list.search': 'Pesquisar no catálogo',
  'alerts.list.count': '{count} de no máximo {max} pesquisas salvas.',
  'alerts.list.results': 'Mostrar os resultados',
  'alerts.list.feed': 'Feed Atom',
  'alerts.list.name': 'Nome',
  'alerts.list.frequency': 'E-mail',
  'alerts.list.update': 'Salvar alterações',
  'alerts.list.delete': 'Excluir',
  'alerts.list.new': 'Salvar uma nova pesquisa',
  'alerts.list.searchFor': 'Pesquisa: {description}',
  'alerts.done.saved': 'Pesquisa salva. Enviaremos um e-mail quando um pacote correspondente a ela for designado ou atualizado.',
  'alerts.done.updated': 'Alterações salvas.',
  'alerts.done.deleted': 'Pesquisa salva excluída.',
  'alerts.buyer.link': 'Pesquisas salvas e alertas por e-mail',

  'alerts.error.name.invalid': 'O nome contém caracteres que não podem ser armazenados',
  'alerts.error.name.required': 'Dê um nome a esta pesquisa',
  'alerts.error.name.tooLong': 'O nome não pode ter mais de {max} caracteres',
  'alerts.error.frequency': 'Escolha com que frequência deseja receber e-mails',
  'alerts.error.query': 'Esta pesquisa não pode ser salva: recomece a partir da página de pesquisa',
  'alerts.error.limit': 'Você tem {max} pesquisas salvas, o máximo que uma conta pode manter. Exclua uma para salvar outra.',
  'alerts.error.version': 'Este formulário está incompleto: carregue a página novamente',
  'alerts.error.stale':
    'Esta pesquisa salva foi alterada noutro lugar (talvez a partir de um e-mail) depois de você abrir esta página. Ela mostra agora o que você digitou: verifique e salve novamente.',
  'alerts.error.intent': 'Nada foi alterado: use os botões desta página',
  'alerts.error.notFound': 'Esta pesquisa salva não existe ou não lhe pertence.',

  'alerts.mail.subject.one': 'Novo pacote para “{name}”: {title}',
  'alerts.mail.subject.other': '{count} novos pacotes para “{name}”',
  'alerts.mail.intro.one': 'Um pacote correspondente à sua pesquisa salva “{name}” foi designado ou atualizado:',
  'alerts.mail.intro.other': '{count} pacotes correspondentes à sua pesquisa salva “{name}” foram designados ou atualizados:',
  'alerts.mail.search': 'Todos os resultados desta pesquisa: {url}',
  'alerts.mail.manage': 'Renomeie esta pesquisa, altere a frequência dos e-mails ou exclua-a: {url}',
  'alerts.mail.unsubscribe': 'Deixar de receber os e-mails desta pesquisa (sem necessidade de entrar): {url}',

  'alerts.unsub.title': 'Deixar de receber alertas por e-mail',
  'alerts.unsub.lede':
    'Deixar de receber os e-mails da pesquisa salva “{name}”? A pesquisa continua salva; é possível reativar os e-mails a partir das suas pesquisas salvas.',
  'alerts.unsub.submit': 'Deixar de receber estes e-mails',
  'alerts.unsub.done': 'Não receberá mais e-mails de “{name}”.',
  'alerts.unsub.already': 'Os e-mails de “{name}” estão desativados.',
  'alerts.unsub.manage': 'Gerenciar as suas pesquisas salvas',
  'alerts.unsub.invalid.title': 'Este link não é válido',
  'alerts.unsub.invalid.body':
    'O link está incompleto ou foi alterado. Use o link do e-mail tal como foi enviado, ou entre e gerencie as suas pesquisas salvas.',
  'alerts.unsub.gone.title': 'Esta pesquisa salva já não existe',
  'alerts.unsub.gone.body': 'Foi excluída e já não envia e-mails.',
};
