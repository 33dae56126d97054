import type { Translation } from '../index.ts';
import type { alerts as english } from '../en/alerts.ts';

/** Spanish messages: saved searches and their email alerts. */
export const alerts: Translation<typeof english> = {
  'alerts.describe.words': '«{q}»',
  'alerts.describe.all': 'Todos los paquetes',

  'alerts.frequency.immediate': 'En cuanto un paquete coincida',
  'alerts.frequency.daily': 'Como máximo una vez al día',
  'alerts.frequency.weekly': 'Como máximo una vez a la semana',
  'alerts.frequency.off': 'Sin correo electrónico',

  'alerts.save.summary': 'Guardar esta búsqueda y recibir alertas por correo electrónico',
  'alerts.save.hint':
    'Le enviaremos un correo electrónico cuando se designe o actualice un paquete que coincida con esta búsqueda.',
  'alerts.save.name': 'Nombre de esta búsqueda',
  'alerts.save.frequency': 'Enviarme correos',
  'alerts.save.submit': 'Guardar esta búsqueda',
  'alerts.save.signIn': 'Inicie sesión para guardar esta búsqueda',
  'alerts.save.signIn.why': 'y recibir un correo electrónico cuando un nuevo paquete coincida con ella.',

  'alerts.list.title': 'Búsquedas guardadas',
  'alerts.list.lede':
    'Cada búsqueda guardada le envía un correo electrónico cuando se designa o actualiza un paquete que coincide con ella, con la frecuencia máxima que usted elija. Cada una es también un canal para un lector de fuentes (feeds).',
  'alerts.list.none': 'Aún no tiene búsquedas guardadas. Busque en el catálogo y luego elija «Guardar esta búsqueda».',
  'alerts.list.search': 'Buscar en el catálogo',
  'alerts.list.count': '{count} de un máximo de {max} búsquedas guardadas.',
  'alerts.list.results': 'Mostrar los resultados',
  'alerts.list.feed': 'Canal Atom',
  'alerts.list.name': 'Nombre',
  'alerts.list.frequency': 'Correo electrónico',
  'alerts.list.update': 'Guardar cambios',
  'alerts.list.delete': 'Eliminar',
  'alerts.list.new': 'Guardar una nueva búsqueda',
  'alerts.list.searchFor': 'Búsqueda: {description}',
  'alerts.done.saved':
    'Búsqueda guardada. Le enviaremos un correo electrónico cuando se designe o actualice un paquete que coincida con ella.',
  'alerts.done.updated': 'Cambios guardados.',
  'alerts.done.deleted': 'Búsqueda guardada eliminada.',
  'alerts.buyer.link': 'Búsquedas guardadas y alertas por correo electrónico',

  'alerts.error.name.invalid': 'El nombre contiene caracteres que no se pueden almacenar',
  'alerts.error.name.required': 'Asigne un nombre a esta búsqueda',
  'alerts.error.name.tooLong': 'El nombre no puede superar los {max} caracteres',
  'alerts.error.frequency': 'Elija con qué frecuencia desea recibir correos',
  'alerts.error.query': 'Esta búsqueda no se puede guardar: vuelva a empezar desde la página de búsqueda',
  'alerts.error.limit':
    'Tiene {max} búsquedas guardadas, el máximo que puede conservar una cuenta. Elimine una para guardar otra.',
  'alerts.error.version': 'Este formulario está incompleto: vuelva a cargar la página',
  'alerts.error.stale':
    'Esta búsqueda guardada se modificó en otro lugar (quizás desde un correo electrónico) después de que usted abriera esta página. Ahora muestra lo que usted escribió: revíselo y vuelva a guardar.',
  'alerts.error.intent': 'No se cambió nada: use los botones de esta página',
  'alerts.error.notFound': 'Esta búsqueda guardada no existe o no le pertenece.',

  'alerts.mail.subject.one': 'Nuevo paquete para «{name}»: {title}',
  'alerts.mail.subject.other': '{count} paquetes nuevos para «{name}»',
  'alerts.mail.intro.one': 'Se designó o actualizó un paquete que coincide con su búsqueda guardada «{name}»:',
  'alerts.mail.intro.other': 'Se designaron o actualizaron {count} paquetes que coinciden con su búsqueda guardada «{name}»:',
  'alerts.mail.search': 'Todos los resultados de esta búsqueda: {url}',
  'alerts.mail.manage': 'Cambie el nombre de esta búsqueda, la frecuencia de los correos o elimínela: {url}',
  'alerts.mail.unsubscribe': 'Dejar de recibir los correos de esta búsqueda (sin necesidad de iniciar sesión): {url}',

  'alerts.unsub.title': 'Dejar de recibir alertas por correo electrónico',
  'alerts.unsub.lede':
    '¿Desea dejar de recibir los correos de la búsqueda guardada «{name}»? La búsqueda seguirá guardada; puede volver a activar sus correos desde sus búsquedas guardadas.',
  'alerts.unsub.submit': 'Dejar de recibir estos correos',
  'alerts.unsub.done': 'Ya no recibirá correos de «{name}».',
  'alerts.unsub.already': 'Los correos de «{name}» están desactivados.',
  'alerts.unsub.manage': 'Administrar sus búsquedas guardadas',
  'alerts.unsub.invalid.title': 'Este enlace no es válido',
  'alerts.unsub.invalid.body':
    'El enlace está incompleto o fue modificado. Use el enlace del correo tal como se envió, o inicie sesión y administre sus búsquedas guardadas.',
  'alerts.unsub.gone.title': 'Esta búsqueda guardada ya no existe',
  'alerts.unsub.gone.body': 'Se eliminó y ya no envía correos.',
};
