//! The case-status catalogue (DOMAIN.md §2): real USCIS titles, each with its stage, its description in
//! English and Spanish (templates filled with the date, form and receipt number), the titles an officer may
//! move a case to from it, and the notice it produces, if any. The set of real titles is open; this is the
//! part ellis moves cases through.

use time::Date;

use crate::notice_kind::{NoticeForm, NoticeKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    Received,
    Processing,
    Biometrics,
    Evidence,
    Interview,
    Transferred,
    Approved,
    Denied,
    Rejected,
    Closed,
    Card,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Processing => "processing",
            Self::Biometrics => "biometrics",
            Self::Evidence => "evidence",
            Self::Interview => "interview",
            Self::Transferred => "transferred",
            Self::Approved => "approved",
            Self::Denied => "denied",
            Self::Rejected => "rejected",
            Self::Closed => "closed",
            Self::Card => "card",
        }
    }
}

/// One title of the catalogue. Descriptions use `{date}` (written "September 5, 2023" or
/// "5 de septiembre de 2023"), `{form}` and `{receipt}`.
#[derive(Debug)]
pub struct Status {
    pub title: &'static str,
    pub title_es: &'static str,
    pub stage: Stage,
    pub description_en: &'static str,
    pub description_es: &'static str,
    /// The titles an officer may move a case to from this one (shared lists; [`Status::next_titles`]
    /// leaves out the title itself).
    pub next: &'static [&'static str],
    pub notice: Option<(NoticeForm, NoticeKind)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    English,
    Spanish,
}

impl Language {
    /// `es` (any case) is Spanish; anything else English.
    pub fn from_code(code: &str) -> Self {
        if code.eq_ignore_ascii_case("es") { Self::Spanish } else { Self::English }
    }
}

pub const RECEIVED_ONLINE: &str = "Case Was Received and A Receipt Notice Was Emailed";
pub const RECEIVED_PAPER: &str = "Case Was Received";
pub const RFE_RESPONSE_RECEIVED: &str = "Response To USCIS' Request For Evidence Was Received";

const ACTIVE_REVIEW: &str = "Case Is Being Actively Reviewed By USCIS";
const RFE_INITIAL: &str = "Request for Initial Evidence Was Sent";
const RFE_ADDITIONAL: &str = "Request for Additional Evidence Was Sent";
const BIOMETRICS_SCHEDULED: &str = "Fingerprint and Biometrics Appointment Was Scheduled";
const INTERVIEW_READY: &str = "Case is Ready to Be Scheduled for An Interview";
const INTERVIEW_SCHEDULED: &str = "Interview Was Scheduled";
const TRANSFERRED: &str = "Case Was Transferred And A New Office Has Jurisdiction";
const APPROVED: &str = "Case Was Approved";
const DENIED: &str = "Case Was Denied";
const REOPENED: &str = "Case Was Reopened";
const ON_HOLD: &str = "Case Is On Hold";
const REJECTED_UNSIGNED: &str = "Case Was Rejected Because I Did Not Sign My Form";
const REJECTED_FEE: &str = "Case Rejected For Incorrect Fee";
const REJECTED_IMPROPER: &str = "Case Was Rejected Because It Was Improperly Filed";

/// What an officer may do with a case that is waiting for a decision.
const DECIDE: &[&str] = &[
    ACTIVE_REVIEW,
    RFE_ADDITIONAL,
    BIOMETRICS_SCHEDULED,
    INTERVIEW_READY,
    INTERVIEW_SCHEDULED,
    TRANSFERRED,
    ON_HOLD,
    APPROVED,
    DENIED,
    "Case Was Administratively Closed",
];

/// What may follow a fresh receipt: the above, an initial evidence request, or a rejection at intake.
const AFTER_RECEIPT: &[&str] = &[
    ACTIVE_REVIEW,
    RFE_INITIAL,
    BIOMETRICS_SCHEDULED,
    INTERVIEW_READY,
    TRANSFERRED,
    ON_HOLD,
    APPROVED,
    DENIED,
    REJECTED_UNSIGNED,
    REJECTED_FEE,
    REJECTED_IMPROPER,
    "Fingerprint Fee Was Received",
    "Request For Premium Processing Services Was Received",
    "Expedite Request Received",
    "Name Was Updated",
    "Date of Birth Was Updated",
    "Duplicate Notice Was Mailed",
];

const AFTER_APPROVAL: &[&str] = &[
    "New Card Is Being Produced",
    "Document Was Mailed To Me",
    "Intent to Revoke Notice Was Sent",
    "Case Was Approved And My Decision Was Emailed",
    "Case Was Approved And USCIS Notified The U.S. Consulate or Port of Entry",
    "Case Was Sent To The Department of State",
    "Advance Parole Document Was Produced",
];

const AFTER_CLOSING: &[&str] = &[REOPENED];
const AFTER_RFE: &[&str] = &[RFE_RESPONSE_RECEIVED, DENIED, "Case Was Administratively Closed"];
const RECEIPT: Option<(NoticeForm, NoticeKind)> = Some((NoticeForm::I797C, NoticeKind::Receipt));

macro_rules! status {
    ($title:expr, $es:expr, $stage:ident, $en_desc:expr, $es_desc:expr, $next:expr, $notice:expr) => {
        Status {
            title: $title,
            title_es: $es,
            stage: Stage::$stage,
            description_en: $en_desc,
            description_es: $es_desc,
            next: $next,
            notice: $notice,
        }
    };
}

pub static CATALOGUE: &[Status] = &[
    // received
    status!(
        RECEIVED_ONLINE,
        "Caso Fue Recibido y Se Envió un Aviso de Recibo por Correo Electrónico",
        Received,
        "On {date}, we received your Form {form}, Receipt Number {receipt}, and emailed you a receipt notice. We will tell you if we need anything from you. If you move, update your mailing address in your account.",
        "El {date}, recibimos su Formulario {form}, Número de Recibo {receipt}, y le enviamos un aviso de recibo por correo electrónico. Le avisaremos si necesitamos algo de usted. Si se muda, actualice su dirección postal en su cuenta.",
        AFTER_RECEIPT,
        RECEIPT
    ),
    status!(
        RECEIVED_PAPER,
        "Caso Fue Recibido",
        Received,
        "On {date}, we received your Form {form}, Receipt Number {receipt}, and mailed you a receipt notice. We will tell you if we need anything from you. If you move, tell us your new address.",
        "El {date}, recibimos su Formulario {form}, Número de Recibo {receipt}, y le enviamos un aviso de recibo por correo. Le avisaremos si necesitamos algo de usted. Si se muda, infórmenos su nueva dirección.",
        AFTER_RECEIPT,
        RECEIPT
    ),
    status!(
        "Case Accepted By The USCIS Lockbox",
        "Caso Aceptado por la Caja de Seguridad de USCIS",
        Received,
        "On {date}, the USCIS lockbox accepted your Form {form}, Receipt Number {receipt}, and sent it on for processing. We mailed you a receipt notice.",
        "El {date}, la caja de seguridad de USCIS aceptó su Formulario {form}, Número de Recibo {receipt}, y lo envió para su trámite. Le enviamos un aviso de recibo por correo.",
        AFTER_RECEIPT,
        RECEIPT
    ),
    status!(
        "Fingerprint Fee Was Received",
        "Se Recibió el Pago por Huellas Dactilares",
        Received,
        "On {date}, we received the fingerprint fee for your Form {form}, Receipt Number {receipt}. We will schedule your biometrics appointment and mail you a notice.",
        "El {date}, recibimos el pago por huellas dactilares de su Formulario {form}, Número de Recibo {receipt}. Programaremos su cita de datos biométricos y le enviaremos un aviso.",
        DECIDE,
        None
    ),
    status!(
        "Fees Were Waived",
        "Se Eximió el Pago de las Tarifas",
        Received,
        "On {date}, we waived the filing fee for your Form {form}, Receipt Number {receipt}. We will tell you if we need anything from you.",
        "El {date}, le eximimos del pago de la tarifa de su Formulario {form}, Número de Recibo {receipt}. Le avisaremos si necesitamos algo de usted.",
        DECIDE,
        None
    ),
    status!(
        "Request For Premium Processing Services Was Received",
        "Se Recibió la Solicitud de Procesamiento Prioritario",
        Received,
        "On {date}, we received your request for premium processing of your Form {form}, Receipt Number {receipt}.",
        "El {date}, recibimos su solicitud de procesamiento prioritario de su Formulario {form}, Número de Recibo {receipt}.",
        DECIDE,
        None
    ),
    status!(
        "Duplicate Notice Was Mailed",
        "Se Envió un Aviso Duplicado",
        Received,
        "On {date}, we mailed you a duplicate notice for your Form {form}, Receipt Number {receipt}.",
        "El {date}, le enviamos por correo un aviso duplicado de su Formulario {form}, Número de Recibo {receipt}.",
        DECIDE,
        None
    ),
    status!(
        "Name Was Updated",
        "Se Actualizó el Nombre",
        Received,
        "On {date}, we updated the name on your Form {form}, Receipt Number {receipt}, as you asked.",
        "El {date}, actualizamos el nombre en su Formulario {form}, Número de Recibo {receipt}, como lo solicitó.",
        DECIDE,
        None
    ),
    status!(
        "Date of Birth Was Updated",
        "Se Actualizó la Fecha de Nacimiento",
        Received,
        "On {date}, we updated the date of birth on your Form {form}, Receipt Number {receipt}, as you asked.",
        "El {date}, actualizamos la fecha de nacimiento en su Formulario {form}, Número de Recibo {receipt}, como lo solicitó.",
        DECIDE,
        None
    ),
    // processing
    status!(
        ACTIVE_REVIEW,
        "Caso Está Siendo Revisado Activamente por USCIS",
        Processing,
        "As of {date}, we are actively reviewing your Form {form}, Receipt Number {receipt}. We will tell you if we need anything from you.",
        "Desde el {date}, estamos revisando activamente su Formulario {form}, Número de Recibo {receipt}. Le avisaremos si necesitamos algo de usted.",
        DECIDE,
        None
    ),
    status!(
        "Case Remains Pending",
        "Caso Sigue Pendiente",
        Processing,
        "As of {date}, your Form {form}, Receipt Number {receipt}, is still pending. We will tell you when we decide it or need something from you.",
        "Desde el {date}, su Formulario {form}, Número de Recibo {receipt}, sigue pendiente. Le avisaremos cuando lo decidamos o necesitemos algo de usted.",
        DECIDE,
        None
    ),
    status!(
        ON_HOLD,
        "Caso Está en Espera",
        Processing,
        "On {date}, we placed your Form {form}, Receipt Number {receipt}, on hold. We will tell you when we resume work on it.",
        "El {date}, pusimos en espera su Formulario {form}, Número de Recibo {receipt}. Le avisaremos cuando reanudemos el trámite.",
        DECIDE,
        None
    ),
    status!(
        "Correspondence Was Received And USCIS Is Reviewing It",
        "Se Recibió Correspondencia y USCIS la Está Revisando",
        Processing,
        "On {date}, we received your correspondence about Form {form}, Receipt Number {receipt}, and are reviewing it.",
        "El {date}, recibimos su correspondencia sobre el Formulario {form}, Número de Recibo {receipt}, y la estamos revisando.",
        DECIDE,
        None
    ),
    status!(
        "Expedite Request Received",
        "Se Recibió la Solicitud de Trámite Acelerado",
        Processing,
        "On {date}, we received your request to expedite your Form {form}, Receipt Number {receipt}.",
        "El {date}, recibimos su solicitud de acelerar el trámite de su Formulario {form}, Número de Recibo {receipt}.",
        &["Expedite Request Approved", "Expedite Request Denied"],
        None
    ),
    status!(
        "Expedite Request Approved",
        "Se Aprobó la Solicitud de Trámite Acelerado",
        Processing,
        "On {date}, we approved your request to expedite your Form {form}, Receipt Number {receipt}.",
        "El {date}, aprobamos su solicitud de acelerar el trámite de su Formulario {form}, Número de Recibo {receipt}.",
        DECIDE,
        None
    ),
    status!(
        "Expedite Request Denied",
        "Se Denegó la Solicitud de Trámite Acelerado",
        Processing,
        "On {date}, we denied your request to expedite your Form {form}, Receipt Number {receipt}. We will process it in the usual order.",
        "El {date}, denegamos su solicitud de acelerar el trámite de su Formulario {form}, Número de Recibo {receipt}. Lo tramitaremos en el orden habitual.",
        DECIDE,
        None
    ),
    // biometrics
    status!(
        BIOMETRICS_SCHEDULED,
        "Se Programó la Cita de Huellas Dactilares y Datos Biométricos",
        Biometrics,
        "On {date}, we scheduled a biometrics appointment for your Form {form}, Receipt Number {receipt}, and sent you an appointment notice. Bring it, and your photo identification, to the appointment.",
        "El {date}, programamos una cita de datos biométricos para su Formulario {form}, Número de Recibo {receipt}, y le enviamos un aviso de cita. Lleve el aviso y su identificación con fotografía a la cita.",
        &[
            "Case Was Updated To Show Fingerprints Were Taken",
            "Request To Reschedule My Appointment Was Received",
            DENIED
        ],
        Some((NoticeForm::I797C, NoticeKind::BiometricsAppointment))
    ),
    status!(
        "Request To Reschedule My Appointment Was Received",
        "Se Recibió la Solicitud para Reprogramar Mi Cita",
        Biometrics,
        "On {date}, we received your request to reschedule the appointment for your Form {form}, Receipt Number {receipt}. We will send you a new appointment notice.",
        "El {date}, recibimos su solicitud de reprogramar la cita de su Formulario {form}, Número de Recibo {receipt}. Le enviaremos un nuevo aviso de cita.",
        &[BIOMETRICS_SCHEDULED, INTERVIEW_SCHEDULED],
        None
    ),
    status!(
        "Case Was Updated To Show Fingerprints Were Taken",
        "Caso Fue Actualizado para Mostrar que Se Tomaron las Huellas Dactilares",
        Biometrics,
        "As of {date}, your fingerprints and biometrics for Form {form}, Receipt Number {receipt}, were taken. We will tell you if we need anything from you.",
        "Desde el {date}, se tomaron sus huellas dactilares y datos biométricos para el Formulario {form}, Número de Recibo {receipt}. Le avisaremos si necesitamos algo de usted.",
        DECIDE,
        None
    ),
    // evidence
    status!(
        RFE_INITIAL,
        "Se Envió una Solicitud de Evidencia Inicial",
        Evidence,
        "On {date}, we sent you a request for initial evidence for your Form {form}, Receipt Number {receipt}. The notice says what we need and by when. Answer it in your account or by mail.",
        "El {date}, le enviamos una solicitud de evidencia inicial para su Formulario {form}, Número de Recibo {receipt}. El aviso indica lo que necesitamos y la fecha límite. Responda en su cuenta o por correo.",
        AFTER_RFE,
        Some((NoticeForm::I797E, NoticeKind::RequestForEvidence))
    ),
    status!(
        RFE_ADDITIONAL,
        "Se Envió una Solicitud de Evidencia Adicional",
        Evidence,
        "On {date}, we sent you a request for additional evidence for your Form {form}, Receipt Number {receipt}. The notice says what we need and by when. Answer it in your account or by mail.",
        "El {date}, le enviamos una solicitud de evidencia adicional para su Formulario {form}, Número de Recibo {receipt}. El aviso indica lo que necesitamos y la fecha límite. Responda en su cuenta o por correo.",
        AFTER_RFE,
        Some((NoticeForm::I797E, NoticeKind::RequestForEvidence))
    ),
    status!(
        RFE_RESPONSE_RECEIVED,
        "Se Recibió la Respuesta a la Solicitud de Evidencia de USCIS",
        Evidence,
        "On {date}, we received your response to our request for evidence for your Form {form}, Receipt Number {receipt}. We will review it and tell you if we need anything else.",
        "El {date}, recibimos su respuesta a nuestra solicitud de evidencia para su Formulario {form}, Número de Recibo {receipt}. La revisaremos y le avisaremos si necesitamos algo más.",
        DECIDE,
        None
    ),
    // interview
    status!(
        INTERVIEW_READY,
        "Caso Está Listo para Programar una Entrevista",
        Interview,
        "As of {date}, your Form {form}, Receipt Number {receipt}, is ready to be scheduled for an interview. We will send you an interview notice.",
        "Desde el {date}, su Formulario {form}, Número de Recibo {receipt}, está listo para programar una entrevista. Le enviaremos un aviso de entrevista.",
        &[INTERVIEW_SCHEDULED, TRANSFERRED, ON_HOLD],
        None
    ),
    status!(
        INTERVIEW_SCHEDULED,
        "Se Programó la Entrevista",
        Interview,
        "On {date}, we scheduled an interview for your Form {form}, Receipt Number {receipt}, and sent you an interview notice with the date, time and place.",
        "El {date}, programamos una entrevista para su Formulario {form}, Número de Recibo {receipt}, y le enviamos un aviso con la fecha, la hora y el lugar.",
        &[
            "Interview Was Completed And My Case Must Be Reviewed",
            "Interview Was Rescheduled",
            "Interview Cancelled",
            APPROVED,
            DENIED
        ],
        Some((NoticeForm::I797C, NoticeKind::InterviewAppointment))
    ),
    status!(
        "Interview Was Rescheduled",
        "Se Reprogramó la Entrevista",
        Interview,
        "On {date}, we rescheduled the interview for your Form {form}, Receipt Number {receipt}, and sent you a new interview notice.",
        "El {date}, reprogramamos la entrevista de su Formulario {form}, Número de Recibo {receipt}, y le enviamos un nuevo aviso de entrevista.",
        &["Interview Was Completed And My Case Must Be Reviewed", "Interview Cancelled", APPROVED, DENIED],
        Some((NoticeForm::I797C, NoticeKind::InterviewAppointment))
    ),
    status!(
        "Interview Cancelled",
        "Se Canceló la Entrevista",
        Interview,
        "On {date}, we cancelled the interview for your Form {form}, Receipt Number {receipt}. We will tell you what happens next.",
        "El {date}, cancelamos la entrevista de su Formulario {form}, Número de Recibo {receipt}. Le avisaremos los próximos pasos.",
        &[INTERVIEW_SCHEDULED, ACTIVE_REVIEW, APPROVED, DENIED],
        None
    ),
    status!(
        "Interview Was Completed And My Case Must Be Reviewed",
        "Se Completó la Entrevista y Mi Caso Debe Ser Revisado",
        Interview,
        "On {date}, your interview for Form {form}, Receipt Number {receipt}, took place. We are reviewing your case and will tell you our decision.",
        "El {date}, se realizó su entrevista para el Formulario {form}, Número de Recibo {receipt}. Estamos revisando su caso y le informaremos nuestra decisión.",
        DECIDE,
        None
    ),
    // transferred
    status!(
        TRANSFERRED,
        "Caso Fue Transferido y Una Nueva Oficina Tiene Jurisdicción",
        Transferred,
        "On {date}, we transferred your Form {form}, Receipt Number {receipt}, to another office, which now has jurisdiction. We sent you a transfer notice. The receipt number stays the same.",
        "El {date}, transferimos su Formulario {form}, Número de Recibo {receipt}, a otra oficina, que ahora tiene jurisdicción. Le enviamos un aviso de transferencia. El número de recibo no cambia.",
        DECIDE,
        Some((NoticeForm::I797C, NoticeKind::Transfer))
    ),
    status!(
        "Case Was Sent To The Department of State",
        "Caso Fue Enviado al Departamento de Estado",
        Transferred,
        "On {date}, we sent your approved Form {form}, Receipt Number {receipt}, to the Department of State's National Visa Center, which will contact you.",
        "El {date}, enviamos su Formulario {form} aprobado, Número de Recibo {receipt}, al Centro Nacional de Visas del Departamento de Estado, que se comunicará con usted.",
        &[],
        None
    ),
    // approved
    status!(
        APPROVED,
        "Caso Fue Aprobado",
        Approved,
        "On {date}, we approved your Form {form}, Receipt Number {receipt}, and sent you an approval notice. Follow its instructions.",
        "El {date}, aprobamos su Formulario {form}, Número de Recibo {receipt}, y le enviamos un aviso de aprobación. Siga sus instrucciones.",
        AFTER_APPROVAL,
        Some((NoticeForm::I797, NoticeKind::Approval))
    ),
    status!(
        "Case Was Approved And My Decision Was Emailed",
        "Caso Fue Aprobado y Se Envió Mi Decisión por Correo Electrónico",
        Approved,
        "On {date}, we approved your Form {form}, Receipt Number {receipt}, and emailed you the approval notice.",
        "El {date}, aprobamos su Formulario {form}, Número de Recibo {receipt}, y le enviamos el aviso de aprobación por correo electrónico.",
        AFTER_APPROVAL,
        None
    ),
    status!(
        "Case Was Approved And USCIS Notified The U.S. Consulate or Port of Entry",
        "Caso Fue Aprobado y USCIS Notificó al Consulado o Puerto de Entrada",
        Approved,
        "On {date}, we approved your Form {form}, Receipt Number {receipt}, and told the U.S. consulate or port of entry you named.",
        "El {date}, aprobamos su Formulario {form}, Número de Recibo {receipt}, y lo notificamos al consulado o puerto de entrada de EE. UU. que indicó.",
        &[],
        None
    ),
    // denied, revoked, reopened
    status!(
        DENIED,
        "Caso Fue Denegado",
        Denied,
        "On {date}, we denied your Form {form}, Receipt Number {receipt}, and mailed you a decision that explains why and what you may do next.",
        "El {date}, denegamos su Formulario {form}, Número de Recibo {receipt}, y le enviamos por correo una decisión que explica el motivo y lo que puede hacer.",
        AFTER_CLOSING,
        None
    ),
    status!(
        "Notice Explaining USCIS Actions Was Mailed",
        "Se Envió un Aviso que Explica las Acciones de USCIS",
        Denied,
        "On {date}, we mailed you a notice explaining what we did with your Form {form}, Receipt Number {receipt}.",
        "El {date}, le enviamos un aviso que explica lo que hicimos con su Formulario {form}, Número de Recibo {receipt}.",
        AFTER_CLOSING,
        None
    ),
    status!(
        "Intent to Revoke Notice Was Sent",
        "Se Envió un Aviso de Intención de Revocar",
        Denied,
        "On {date}, we sent you a notice of intent to revoke the approval of your Form {form}, Receipt Number {receipt}. Answer it by the date it gives.",
        "El {date}, le enviamos un aviso de intención de revocar la aprobación de su Formulario {form}, Número de Recibo {receipt}. Responda antes de la fecha indicada.",
        &["Case Approval Was Revoked", APPROVED],
        None
    ),
    status!(
        "Case Approval Was Revoked",
        "Se Revocó la Aprobación del Caso",
        Denied,
        "On {date}, we revoked the approval of your Form {form}, Receipt Number {receipt}, and mailed you the decision.",
        "El {date}, revocamos la aprobación de su Formulario {form}, Número de Recibo {receipt}, y le enviamos la decisión por correo.",
        AFTER_CLOSING,
        None
    ),
    status!(
        REOPENED,
        "Caso Fue Reabierto",
        Processing,
        "On {date}, we reopened your Form {form}, Receipt Number {receipt}, and sent you a notice. We will tell you what happens next.",
        "El {date}, reabrimos su Formulario {form}, Número de Recibo {receipt}, y le enviamos un aviso. Le avisaremos los próximos pasos.",
        DECIDE,
        Some((NoticeForm::I797C, NoticeKind::Reopening))
    ),
    // rejected
    status!(
        REJECTED_UNSIGNED,
        "Caso Fue Rechazado Porque No Firmé Mi Formulario",
        Rejected,
        "On {date}, we rejected your Form {form}, Receipt Number {receipt}, because it was not signed, and sent you a rejection notice. You may file again with a signed form.",
        "El {date}, rechazamos su Formulario {form}, Número de Recibo {receipt}, porque no estaba firmado, y le enviamos un aviso de rechazo. Puede presentarlo de nuevo con el formulario firmado.",
        AFTER_CLOSING,
        Some((NoticeForm::I797C, NoticeKind::Rejection))
    ),
    status!(
        REJECTED_FEE,
        "Caso Rechazado por Tarifa Incorrecta",
        Rejected,
        "On {date}, we rejected your Form {form}, Receipt Number {receipt}, because the fee was not correct, and sent you a rejection notice. You may file again with the correct fee.",
        "El {date}, rechazamos su Formulario {form}, Número de Recibo {receipt}, porque la tarifa no era correcta, y le enviamos un aviso de rechazo. Puede presentarlo de nuevo con la tarifa correcta.",
        AFTER_CLOSING,
        Some((NoticeForm::I797C, NoticeKind::Rejection))
    ),
    status!(
        REJECTED_IMPROPER,
        "Caso Fue Rechazado Porque Se Presentó Incorrectamente",
        Rejected,
        "On {date}, we rejected your Form {form}, Receipt Number {receipt}, because it was not filed properly, and sent you a rejection notice that explains why.",
        "El {date}, rechazamos su Formulario {form}, Número de Recibo {receipt}, porque no se presentó correctamente, y le enviamos un aviso de rechazo que explica el motivo.",
        AFTER_CLOSING,
        Some((NoticeForm::I797C, NoticeKind::Rejection))
    ),
    // withdrawn, closed
    status!(
        "Withdrawal Acknowledgement Notice Was Sent",
        "Se Envió el Aviso de Confirmación de Retiro",
        Closed,
        "On {date}, we acknowledged that you withdrew your Form {form}, Receipt Number {receipt}, and sent you a notice.",
        "El {date}, confirmamos que usted retiró su Formulario {form}, Número de Recibo {receipt}, y le enviamos un aviso.",
        AFTER_CLOSING,
        None
    ),
    status!(
        "Case Was Administratively Closed",
        "Caso Fue Cerrado Administrativamente",
        Closed,
        "On {date}, we administratively closed your Form {form}, Receipt Number {receipt}. We mailed you a notice that explains why.",
        "El {date}, cerramos administrativamente su Formulario {form}, Número de Recibo {receipt}. Le enviamos un aviso que explica el motivo.",
        AFTER_CLOSING,
        None
    ),
    status!(
        "Fee Will Be Refunded",
        "Se Reembolsará la Tarifa",
        Closed,
        "On {date}, we decided to refund the fee you paid for Form {form}, Receipt Number {receipt}.",
        "El {date}, decidimos reembolsarle la tarifa que pagó por el Formulario {form}, Número de Recibo {receipt}.",
        &[],
        None
    ),
    // card, document
    status!(
        "New Card Is Being Produced",
        "Se Está Produciendo la Nueva Tarjeta",
        Card,
        "On {date}, we ordered your new card for Form {form}, Receipt Number {receipt}. We will mail it to the address you gave us.",
        "El {date}, ordenamos su nueva tarjeta para el Formulario {form}, Número de Recibo {receipt}. Se la enviaremos por correo a la dirección que nos dio.",
        &["Card Was Mailed To Me"],
        None
    ),
    status!(
        "Card Was Mailed To Me",
        "Se Envió Mi Tarjeta por Correo",
        Card,
        "On {date}, we mailed your new card for Form {form}, Receipt Number {receipt}, with a card notice.",
        "El {date}, le enviamos por correo su nueva tarjeta para el Formulario {form}, Número de Recibo {receipt}, con un aviso de tarjeta.",
        &["Card Was Delivered To Me By The Post Office", "Card Was Returned To USCIS"],
        Some((NoticeForm::I797D, NoticeKind::CardMailed))
    ),
    status!(
        "Card Was Delivered To Me By The Post Office",
        "El Servicio Postal Entregó Mi Tarjeta",
        Card,
        "On {date}, the Post Office delivered your new card for Form {form}, Receipt Number {receipt}.",
        "El {date}, el Servicio Postal entregó su nueva tarjeta para el Formulario {form}, Número de Recibo {receipt}.",
        &[],
        None
    ),
    status!(
        "Card Was Returned To USCIS",
        "La Tarjeta Fue Devuelta a USCIS",
        Card,
        "On {date}, the Post Office returned your new card for Form {form}, Receipt Number {receipt}, to us. Update your mailing address so we can send it again.",
        "El {date}, el Servicio Postal nos devolvió su nueva tarjeta para el Formulario {form}, Número de Recibo {receipt}. Actualice su dirección postal para que podamos enviarla de nuevo.",
        &["Card Was Mailed To Me"],
        None
    ),
    status!(
        "Document Was Mailed To Me",
        "Se Envió Mi Documento por Correo",
        Card,
        "On {date}, we mailed the document for your Form {form}, Receipt Number {receipt}.",
        "El {date}, le enviamos por correo el documento de su Formulario {form}, Número de Recibo {receipt}.",
        &[],
        None
    ),
    status!(
        "Advance Parole Document Was Produced",
        "Se Produjo el Documento de Permiso Adelantado",
        Card,
        "On {date}, we produced the advance parole document for your Form {form}, Receipt Number {receipt}, and will mail it to you.",
        "El {date}, produjimos el documento de permiso adelantado de su Formulario {form}, Número de Recibo {receipt}, y se lo enviaremos por correo.",
        &["Document Was Mailed To Me"],
        None
    ),
];

/// The catalogue entry for a title (exact, as stored).
pub fn find(title: &str) -> Option<&'static Status> {
    CATALOGUE.iter().find(|status| status.title == title)
}

impl Status {
    pub fn title_in(&self, language: Language) -> &'static str {
        match language {
            Language::English => self.title,
            Language::Spanish => self.title_es,
        }
    }

    /// The description with the date, form and receipt number filled in.
    pub fn describe(&self, language: Language, date: Date, form: &str, receipt: &str) -> String {
        let (template, date) = match language {
            Language::English => (self.description_en, english_date(date)),
            Language::Spanish => (self.description_es, spanish_date(date)),
        };
        template.replace("{date}", &date).replace("{form}", form).replace("{receipt}", receipt)
    }

    /// Whether this status asks the applicant for evidence (it produces an I-797E): the case then waits for
    /// their response, and an officer moving a case here must give a due date.
    pub fn requests_evidence(&self) -> bool {
        matches!(self.notice, Some((_, NoticeKind::RequestForEvidence)))
    }

    /// The titles an officer may move a case to from this one.
    pub fn next_titles(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.next.iter().copied().filter(move |next| *next != self.title)
    }

    pub fn allows(&self, next: &str) -> bool {
        self.next_titles().any(|title| title == next)
    }
}

/// `September 5, 2023`, as USCIS writes dates in status descriptions.
pub fn english_date(date: Date) -> String {
    format!("{} {}, {}", date.month(), date.day(), date.year())
}

/// `5 de septiembre de 2023`.
pub fn spanish_date(date: Date) -> String {
    const MONTHS: [&str; 12] = [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ];
    format!("{} de {} de {}", date.day(), MONTHS[usize::from(u8::from(date.month())) - 1], date.year())
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn the_catalogue_has_at_least_forty_distinct_titles_across_every_stage() {
        assert!(CATALOGUE.len() >= 40, "{}", CATALOGUE.len());
        for (index, status) in CATALOGUE.iter().enumerate() {
            assert!(CATALOGUE[..index].iter().all(|earlier| earlier.title != status.title), "{} twice", status.title);
        }
        for stage in [
            Stage::Received,
            Stage::Processing,
            Stage::Biometrics,
            Stage::Evidence,
            Stage::Interview,
            Stage::Transferred,
            Stage::Approved,
            Stage::Denied,
            Stage::Rejected,
            Stage::Closed,
            Stage::Card,
        ] {
            assert!(CATALOGUE.iter().any(|s| s.stage == stage), "{stage:?} has no title");
        }
    }

    #[test]
    fn every_transition_names_a_title_of_the_catalogue() {
        for status in CATALOGUE {
            for next in status.next {
                assert!(find(next).is_some(), "{:?} allows unknown {next:?}", status.title);
            }
            assert!(!status.allows(status.title), "{} allows itself", status.title);
        }
    }

    #[test]
    fn every_description_names_the_date_form_and_receipt_in_both_languages() {
        for status in CATALOGUE {
            for template in [status.description_en, status.description_es] {
                for placeholder in ["{date}", "{form}", "{receipt}"] {
                    assert!(template.contains(placeholder), "{}: {placeholder} missing", status.title);
                }
            }
        }
    }

    #[test]
    fn descriptions_read_like_uscis_writes_them() {
        let received = find(RECEIVED_PAPER).unwrap();
        let text = received.describe(Language::English, date!(2023 - 09 - 05), "I-130", "EAC9999103403");
        assert!(text.starts_with("On September 5, 2023, we received your Form I-130, Receipt Number EAC9999103403"));
        let spanish = received.describe(Language::Spanish, date!(2023 - 09 - 05), "I-130", "EAC9999103403");
        assert!(spanish.starts_with("El 5 de septiembre de 2023, recibimos su Formulario I-130"), "{spanish}");
    }

    #[test]
    fn evidence_requests_lead_to_the_response_and_produce_an_i797e() {
        let rfe = find("Request for Additional Evidence Was Sent").unwrap();
        assert!(rfe.allows(RFE_RESPONSE_RECEIVED));
        assert_eq!(rfe.notice, Some((NoticeForm::I797E, NoticeKind::RequestForEvidence)));
        assert_eq!(find(RECEIVED_ONLINE).unwrap().notice, Some((NoticeForm::I797C, NoticeKind::Receipt)));
        let requesting: Vec<&str> = CATALOGUE.iter().filter(|s| s.requests_evidence()).map(|s| s.title).collect();
        assert_eq!(requesting, ["Request for Initial Evidence Was Sent", "Request for Additional Evidence Was Sent"]);
        assert!(CATALOGUE.iter().filter(|s| s.requests_evidence()).all(|s| s.allows(RFE_RESPONSE_RECEIVED)));
    }
}
