/** English messages: consortia. */
export const consortia = {
  // The list: /consortia
  'consortia.list.title': 'Your consortia',
  'consortia.list.lede':
    'A consortium is a standing team of companies that proposes full-stack AI export packages. One member, the anchor, leads it and submits its proposals. A company may belong to several consortia.',
  'consortia.list.create': 'Create a consortium',
  'consortia.list.empty': 'None of your organizations belongs to a consortium yet.',
  'consortia.list.caption': 'Consortia your organizations belong to',
  'consortia.list.name': 'Consortium',
  'consortia.list.organization': 'Your organization',
  'consortia.list.role': 'Role',
  'consortia.list.status': 'Status',
  'consortia.list.invitations': 'Invitations to join a consortium',
  'consortia.list.invitation': '{consortium}: invitation for {company}',
  'consortia.list.noSupplier':
    'To create or join a consortium, you need to be an owner or administrator of a supplier organization.',

  // Roles and statuses
  'consortia.role.anchor': 'Anchor member',
  'consortia.role.member': 'Member',
  'consortia.status.invited': 'Invited',
  'consortia.status.active': 'Active',
  'consortia.status.declined': 'Declined',
  'consortia.status.removed': 'Removed',

  // Member details (create, invite)
  'consortia.field.name': 'Name of the consortium',
  'consortia.field.name.hint': 'The name buyers will see on the consortium’s packages.',
  'consortia.field.organization': 'Anchor organization',
  'consortia.field.organization.hint':
    'The supplier organization that leads the consortium and submits its proposals. Its legal name and country of incorporation come from its profile.',
  'consortia.field.anchorFixed': 'Anchor organization: {org} (incorporated in {country})',
  'consortia.field.legalName': 'Legal name of the company',
  'consortia.field.countryOfIncorporation': 'Country of incorporation',
  'consortia.field.headquartersCountry': 'Country of headquarters',
  'consortia.field.headquartersCountry.hint': 'Where the company is primarily based.',
  'consortia.field.headquartersSame': 'Same as the country of incorporation',
  'consortia.field.concernControlled': 'Is the company owned or controlled from a country of concern?',
  'consortia.field.concernControlled.hint': 'Countries of concern: {countries}.',
  'consortia.field.yes': 'Yes',
  'consortia.field.no': 'No',
  'consortia.field.layers': 'Layers of the AI stack the company supplies',
  'consortia.field.layers.hint':
    'Choose at least one. A provider of the data, models, security or application layer may not be incorporated or primarily based in a country of concern.',
  'consortia.eligibility.rules':
    'Eligibility: a company located in, or owned or controlled from, a country of concern ({countries}) cannot join a consortium. We check this as you enter the details and again when a proposal is submitted.',

  // Errors
  'consortia.error.name': 'Enter the name of the consortium (2 to 200 characters)',
  'consortia.error.organization': 'Choose one of your supplier organizations',
  'consortia.error.legalName': 'Enter the legal name of the company (2 to 200 characters)',
  'consortia.error.countryOfIncorporation': 'Choose the country of incorporation',
  'consortia.error.headquartersCountry': 'Choose the country of headquarters',
  'consortia.error.concernControlled': 'Say whether the company is owned or controlled from a country of concern',
  'consortia.error.layers': 'Choose at least one layer the company supplies',
  'consortia.error.notAllowed': 'Only owners and administrators of the anchor organization can change the consortium.',
  'consortia.error.conflict':
    'The layers of {name} were changed by someone else after you opened the page, so your choice was not saved. It is still in the form.',
  'consortia.error.memberGone': 'That member is no longer in the consortium. The page now shows the consortium as it is.',
  'consortia.error.badRequest': 'The form could not be read. Please try again.',
  'consortia.eligibility.thisCompany': 'This company',
  'consortia.eligibility.located':
    '{name} is incorporated or headquartered in a country of concern ({countries}), so it cannot join a consortium.',
  'consortia.eligibility.controlled': '{name} is owned or controlled from a country of concern, so it cannot join a consortium.',
  'consortia.eligibility.layerProvider':
    '{name} would supply the data, models, security or application layer from a country of concern ({countries}); providers of those layers may not be incorporated or primarily based there.',

  // Create: /consortia/new
  'consortia.new.title': 'Create a consortium',
  'consortia.new.lede': 'Your organization becomes the anchor member. You can invite other companies once the consortium exists.',
  'consortia.new.anchor': 'The anchor member',
  'consortia.new.submit': 'Create the consortium',
  'consortia.new.error.noOrganization':
    'You need to be an owner or administrator of a supplier organization to create a consortium.',

  // A consortium: /consortia/[id]
  'consortia.page.anchoredBy': 'Led by {org}, the anchor member.',
  'consortia.page.readOnly':
    'You are viewing this consortium as a site administrator. Only its anchor organization can change it.',
  'consortia.page.created': 'Created {date}',
  'consortia.done.created': 'The consortium is created, with your organization as its anchor member.',
  'consortia.done.invited': 'The invitation is sent.',
  'consortia.done.invitedNoMail':
    'The invitation is recorded, but the email could not be sent. Send the invitation link yourself or try again later.',
  'consortia.done.removed': 'The member is removed.',
  'consortia.done.layers': 'The layers are saved.',
  'consortia.done.joined': 'Your organization has joined the consortium.',
  'consortia.done.declined': 'You declined the invitation.',
  'consortia.members.title': 'Members',
  'consortia.members.caption': 'Members of {consortium}',
  'consortia.members.legalName': 'Legal name',
  'consortia.members.countries': 'Incorporated / headquarters',
  'consortia.members.concern': 'Controlled from a country of concern',
  'consortia.members.layers': 'Layers',
  'consortia.members.role': 'Role',
  'consortia.members.status': 'Status',
  'consortia.members.actions': 'Actions',
  'consortia.members.invitedEmail': 'Invited: {email}',
  'consortia.members.layersOf': 'Layers supplied by {name}',
  'consortia.members.saveLayers': 'Save layers',
  'consortia.members.remove': 'Remove',
  'consortia.members.withdraw': 'Withdraw invitation',
  'consortia.members.error.anchor': 'The anchor member cannot be removed.',
  'consortia.members.none': 'none',
  'consortia.invite.title': 'Invite a company',
  'consortia.invite.lede':
    'We email the address an invitation link. Someone who owns or administers the company’s supplier organization on this site accepts it on the company’s behalf.',
  'consortia.invite.email': 'Email address of the person to invite',
  'consortia.invite.submit': 'Send the invitation',
  'consortia.invite.error.duplicate': 'This address already has an open invitation to this consortium.',
  'consortia.mail.invite.subject': 'Invitation to join the consortium {consortium}',
  'consortia.mail.invite.text':
    '{inviter}, for {anchor}, invites {company} to join the consortium “{consortium}” of the American AI Exports Program.\n\nTo accept on behalf of your organization, or to decline, sign in and open:\n{link}\n\nIf you did not expect this message, you can ignore it.',

  // An invitation: /consortia/invitations/[memberId]
  'consortia.invitation.title': 'Invitation to join {consortium}',
  'consortia.invitation.body': '{anchor}, the anchor member of {consortium}, invites {company} to join the consortium.',
  'consortia.invitation.caption': 'The company’s details as the anchor entered them',
  'consortia.invitation.organization': 'Accept on behalf of',
  'consortia.invitation.organization.hint': 'One of your supplier organizations where you are an owner or administrator.',
  'consortia.invitation.accept': 'Accept and join',
  'consortia.invitation.decline': 'Decline',
  'consortia.invitation.answered': 'This invitation has already been answered or withdrawn.',
  'consortia.invitation.error.noOrganization':
    'You need to be an owner or administrator of a supplier organization to accept. Decline, or ask an owner of your organization to accept.',
  'consortia.invitation.error.alreadyMember': '{org} is already a member of this consortium.',
} as const;
