import type { Translation } from '../index.ts';
import type { alerts as english } from '../en/alerts.ts';

/** French messages: saved searches and their email alerts. */
export const alerts: Translation<typeof english> = {
  'alerts.describe.words': '« {q} »',
  'alerts.describe.all': 'Toutes les offres',

  'alerts.frequency.immediate': 'Dès qu’une offre correspond',
  'alerts.frequency.daily': 'Une fois par jour au plus',
  'alerts.frequency.weekly': 'Une fois par semaine au plus',
  'alerts.frequency.off': 'Aucun courriel',

  'alerts.save.summary': 'Enregistrer cette recherche et recevoir des alertes par courriel',
  'alerts.save.hint': 'Nous vous écrivons lorsqu’une offre correspondant à cette recherche est désignée ou mise à jour.',
  'alerts.save.name': 'Nom de cette recherche',
  'alerts.save.frequency': 'M’écrire',
  'alerts.save.submit': 'Enregistrer cette recherche',
  'alerts.save.signIn': 'Connectez-vous pour enregistrer cette recherche',
  'alerts.save.signIn.why': 'et recevoir un courriel lorsqu’une nouvelle offre y correspond.',

  'alerts.list.title': 'Recherches enregistrées',
  'alerts.list.lede':
    'Chaque recherche enregistrée vous envoie un courriel lorsqu’une offre qui y correspond est désignée ou mise à jour, au plus à la fréquence que vous choisissez. Chacune est aussi un flux, à suivre dans un lecteur de flux.',
  'alerts.list.none':
    'Vous n’avez encore aucune recherche enregistrée. Lancez une recherche dans le catalogue, puis choisissez « Enregistrer cette recherche ».',
  'alerts.list.search': 'Rechercher dans le catalogue',
  'alerts.list.count': 'Recherches enregistrées : {count} sur {max} au maximum.',
  'alerts.list.results': 'Afficher les résultats',
  'alerts.list.feed': 'Flux Atom',
  'alerts.list.name': 'Nom',
  'alerts.list.frequency': 'Courriel',
  'alerts.list.update': 'Enregistrer les modifications',
  'alerts.list.delete': 'Supprimer',
  'alerts.list.new': 'Enregistrer une nouvelle recherche',
  'alerts.list.searchFor': 'Recherche : {description}',
  'alerts.done.saved':
    'Recherche enregistrée. Nous vous écrirons lorsqu’une offre qui y correspond sera désignée ou mise à jour.',
  'alerts.done.updated': 'Modifications enregistrées.',
  'alerts.done.deleted': 'Recherche enregistrée supprimée.',
  'alerts.buyer.link': 'Recherches enregistrées et alertes par courriel',

  'alerts.error.name.invalid': 'Le nom contient des caractères qui ne peuvent pas être enregistrés',
  'alerts.error.name.required': 'Donnez un nom à cette recherche',
  'alerts.error.name.tooLong': 'Le nom ne doit pas dépasser {max} caractères',
  'alerts.error.frequency': 'Choisissez la fréquence des courriels',
  'alerts.error.query': 'Cette recherche ne peut pas être enregistrée : recommencez depuis la page de recherche',
  'alerts.error.limit':
    'Vous avez {max} recherches enregistrées, le maximum pour un compte. Supprimez-en une pour en enregistrer une autre.',
  'alerts.error.version': 'Ce formulaire est incomplet : rechargez la page',
  'alerts.error.stale':
    'Cette recherche enregistrée a été modifiée ailleurs (peut-être depuis un courriel) depuis que vous avez ouvert cette page. La page affiche maintenant votre saisie : vérifiez-la et enregistrez de nouveau.',
  'alerts.error.intent': 'Rien n’a été modifié : utilisez les boutons de cette page',
  'alerts.error.notFound': 'Cette recherche enregistrée n’existe pas ou ne vous appartient pas.',

  'alerts.mail.subject.one': 'Nouvelle offre pour « {name} » : {title}',
  'alerts.mail.subject.other': '{count} nouvelles offres pour « {name} »',
  'alerts.mail.intro.one': 'Une offre correspondant à votre recherche enregistrée « {name} » a été désignée ou mise à jour :',
  'alerts.mail.intro.other':
    '{count} offres correspondant à votre recherche enregistrée « {name} » ont été désignées ou mises à jour :',
  'alerts.mail.search': 'Tous les résultats de cette recherche : {url}',
  'alerts.mail.manage': 'Renommer cette recherche, modifier la fréquence des courriels ou la supprimer : {url}',
  'alerts.mail.unsubscribe': 'Ne plus recevoir les courriels de cette recherche (sans connexion) : {url}',

  'alerts.unsub.title': 'Arrêter les courriels d’alerte',
  'alerts.unsub.lede':
    'Arrêter les courriels de la recherche enregistrée « {name} » ? La recherche reste enregistrée ; vous pourrez réactiver ses courriels depuis vos recherches enregistrées.',
  'alerts.unsub.submit': 'Arrêter ces courriels',
  'alerts.unsub.done': 'Vous ne recevrez plus de courriels pour « {name} ».',
  'alerts.unsub.already': 'Les courriels de « {name} » sont désactivés.',
  'alerts.unsub.manage': 'Gérer vos recherches enregistrées',
  'alerts.unsub.invalid.title': 'Ce lien n’est pas valide',
  'alerts.unsub.invalid.body':
    'Le lien est incomplet ou a été modifié. Utilisez le lien du courriel tel qu’il a été envoyé, ou connectez-vous pour gérer vos recherches enregistrées.',
  'alerts.unsub.gone.title': 'Cette recherche enregistrée n’existe plus',
  'alerts.unsub.gone.body': 'Elle a été supprimée et n’envoie plus de courriels.',
};
