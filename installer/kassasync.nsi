; Kassasync installer (NSIS 3, Unicode): a per-user install, no administrator rights needed.
;
;   makensis -DVERSION=0.1.0 [-DPAYLOAD_DIR=..\dist\kassasync] [-DOUTFILE=..\dist\Kassasync-Setup-0.1.0.exe] kassasync.nsi
;
; PAYLOAD_DIR is PyInstaller's one-folder output (kassasync-tray.exe, kassasync.exe, _internal\).
; Relative paths are relative to this file's folder: makensis changes into it before compiling.
;
; The names the agent also uses (Run value, its key, the single-instance mutex) come from names.nsh,
; generated from src/kassasync/platform/constants.py by make_names.py, so the two can never drift apart.

Unicode true
SetCompressor /SOLID lzma
RequestExecutionLevel user

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "Sections.nsh"
!include "FileFunc.nsh"
!include "names.nsh"

!ifndef VERSION
  !error "Pass the version: makensis -DVERSION=MAJOR.MINOR.PATCH kassasync.nsi"
!endif
!ifndef PAYLOAD_DIR
  !define PAYLOAD_DIR "..\dist\kassasync"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\dist\${APP_DISPLAY_NAME}-Setup-${VERSION}.exe"
!endif

!define TRAY_EXE "kassasync-tray.exe"
!define CLI_EXE "kassasync.exe"
!define UNINSTALLER "uninstall.exe"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_DISPLAY_NAME}"
; What the agent itself registers when "Starta med Windows" is ticked in its settings
; (kassasync.platform.autostart.launch_command for the frozen tray exe). Writing the very same command keeps
; the agent's settings dialog showing autostart as on, and saving it a no-op.
!define RUN_COMMAND '"$INSTDIR\${TRAY_EXE}" tray'
; How long a running agent gets to quit before we offer to end it (20 x 500 ms).
!define AGENT_WAIT_ROUNDS 20

Name "${APP_DISPLAY_NAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP_DISPLAY_NAME}"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${APP_DISPLAY_NAME}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "${APP_DISPLAY_NAME} Setup"
VIAddVersionKey /LANG=0 "CompanyName" "${APP_DISPLAY_NAME}"
VIAddVersionKey /LANG=0 "LegalCopyright" "${APP_DISPLAY_NAME}"

Var AgentRunning

; ---------------------------------------------------------------------------------------------- pages

!define MUI_ICON "..\assets\icons\kassasync.ico"
!define MUI_UNICON "..\assets\icons\kassasync.ico"
!define MUI_ABORTWARNING
!define MUI_UNABORTWARNING
!define MUI_COMPONENTSPAGE_NODESC

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${TRAY_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "$(RUN_NOW)"
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the fallback; NSIS picks the one matching the user's Windows language.
!insertmacro MUI_LANGUAGE "Swedish"
!insertmacro MUI_LANGUAGE "English"

; -------------------------------------------------------------------------------------------- strings

LangString SEC_PROGRAM ${LANG_SWEDISH} "${APP_DISPLAY_NAME} (krävs)"
LangString SEC_PROGRAM ${LANG_ENGLISH} "${APP_DISPLAY_NAME} (required)"
LangString SEC_AUTOSTART ${LANG_SWEDISH} "Starta med Windows"
LangString SEC_AUTOSTART ${LANG_ENGLISH} "Start with Windows"
LangString RUN_NOW ${LANG_SWEDISH} "Starta ${APP_DISPLAY_NAME} nu"
LangString RUN_NOW ${LANG_ENGLISH} "Start ${APP_DISPLAY_NAME} now"
LangString UNSEC_PROGRAM ${LANG_SWEDISH} "Programfiler, genväg och autostart"
LangString UNSEC_PROGRAM ${LANG_ENGLISH} "Program files, shortcut and autostart"
LangString UNSEC_DATA ${LANG_SWEDISH} "Ta även bort inställningar och loggar"
LangString UNSEC_DATA ${LANG_ENGLISH} "Also remove settings and logs"
LangString AGENT_ASK_QUIT ${LANG_SWEDISH} "Ber ${APP_DISPLAY_NAME} att avsluta …"
LangString AGENT_ASK_QUIT ${LANG_ENGLISH} "Asking ${APP_DISPLAY_NAME} to quit …"
LangString AGENT_KILL_PROMPT ${LANG_SWEDISH} "${APP_DISPLAY_NAME} körs fortfarande. Välj OK för att avsluta programmet \
nu (en pågående synkronisering avbryts och görs om vid nästa start) eller Avbryt för att avbryta."
LangString AGENT_KILL_PROMPT ${LANG_ENGLISH} "${APP_DISPLAY_NAME} is still running. Choose OK to end it now \
(a sync in progress is interrupted and redone at the next start) or Cancel to stop here."
LangString AGENT_KILLING ${LANG_SWEDISH} "Avslutar ${APP_DISPLAY_NAME} …"
LangString AGENT_KILLING ${LANG_ENGLISH} "Ending ${APP_DISPLAY_NAME} …"
LangString AGENT_STILL_RUNNING ${LANG_SWEDISH} "${APP_DISPLAY_NAME} körs fortfarande. Avsluta det från ikonen i \
aktivitetsfältet och försök igen."
LangString AGENT_STILL_RUNNING ${LANG_ENGLISH} "${APP_DISPLAY_NAME} is still running. Quit it from its icon in the \
notification area and try again."
LangString DATA_KEPT ${LANG_SWEDISH} "Inställningar, loggar och bokföringshistorik finns kvar i $LOCALAPPDATA\${APP_DISPLAY_NAME}."
LangString DATA_KEPT ${LANG_ENGLISH} "Settings, logs and posting history are kept in $LOCALAPPDATA\${APP_DISPLAY_NAME}."

; ---------------------------------------------------------------------------------- the running agent
; Defined twice, for the installer and (prefixed "un.") for the uninstaller: NSIS keeps their code apart.

!macro AGENT_FUNCTIONS un

; Sets $AgentRunning to 1 when this user's agent runs. First the agent's named mutex; then, because an
; agent that holds only its lock file is just as much in the way, the process list (find exits 0 on a match,
; whatever language tasklist's other messages are in).
Function ${un}CheckAgent
  Push $0
  Push $1
  StrCpy $AgentRunning 0
  System::Call 'kernel32::OpenMutexW(i 0x00100000, i 0, w "${MUTEX_NAME}") p .r0'
  ${If} $0 P<> 0
    System::Call 'kernel32::CloseHandle(p r0)'
    StrCpy $AgentRunning 1
  ${Else}
    ReadEnvStr $1 "USERNAME"
    nsExec::Exec '"$SYSDIR\cmd.exe" /C ""$SYSDIR\tasklist.exe" /NH /FI "IMAGENAME eq ${TRAY_EXE}" \
/FI "USERNAME eq $1" | "$SYSDIR\find.exe" /I "${TRAY_EXE}""'
    Pop $0
    ${If} $0 == 0
      StrCpy $AgentRunning 1
    ${EndIf}
  ${EndIf}
  Pop $1
  Pop $0
FunctionEnd

Function ${un}WaitForAgent
  Push $2
  StrCpy $2 0
  ${Do}
    Call ${un}CheckAgent
    ${If} $AgentRunning == 0
    ${OrIf} $2 >= ${AGENT_WAIT_ROUNDS}
      ${Break}
    ${EndIf}
    Sleep 500
    IntOp $2 $2 + 1
  ${Loop}
  Pop $2
FunctionEnd

; Files in use cannot be replaced or removed: ask the agent to quit, and end it only with the user's consent.
Function ${un}StopAgent
  Push $0
  Push $1
  Call ${un}CheckAgent
  ${If} $AgentRunning == 1
  ${AndIf} ${FileExists} "$INSTDIR\${CLI_EXE}"
    DetailPrint "$(AGENT_ASK_QUIT)"
    nsExec::Exec '"$INSTDIR\${CLI_EXE}" quit'
    Pop $0
    ; A non-zero exit means this version has no way to be asked; do not wait for nothing.
    ${If} $0 == 0
      Call ${un}WaitForAgent
    ${EndIf}
  ${EndIf}
  ${If} $AgentRunning == 1
    MessageBox MB_OKCANCEL|MB_ICONEXCLAMATION "$(AGENT_KILL_PROMPT)" /SD IDOK IDOK kill
    Abort "$(AGENT_STILL_RUNNING)"
    kill:
    DetailPrint "$(AGENT_KILLING)"
    ReadEnvStr $1 "USERNAME"
    nsExec::Exec '"$SYSDIR\taskkill.exe" /F /IM ${TRAY_EXE} /FI "USERNAME eq $1"'
    Pop $0
    Call ${un}WaitForAgent
    ${If} $AgentRunning == 1
      MessageBox MB_OK|MB_ICONSTOP "$(AGENT_STILL_RUNNING)" /SD IDOK
      Abort "$(AGENT_STILL_RUNNING)"
    ${EndIf}
  ${EndIf}
  Pop $1
  Pop $0
FunctionEnd

!macroend

!insertmacro AGENT_FUNCTIONS ""
!insertmacro AGENT_FUNCTIONS "un."

; ------------------------------------------------------------------------------------------- install

Section "$(SEC_PROGRAM)" SecProgram
  SectionIn RO
  Call StopAgent

  SetOutPath "$INSTDIR"
  ; An upgrade replaces the whole PyInstaller folder: stale modules from the old version must not linger.
  RMDir /r "$INSTDIR\_internal"
  File /r "${PAYLOAD_DIR}\*.*"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  CreateShortcut "$SMPROGRAMS\${APP_DISPLAY_NAME}.lnk" "$INSTDIR\${TRAY_EXE}" "" "$INSTDIR\${TRAY_EXE}" 0

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_DISPLAY_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${APP_DISPLAY_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${TRAY_EXE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "$(SEC_AUTOSTART)" SecAutostart
  WriteRegStr HKCU "${RUN_KEY_PATH}" "${RUN_VALUE_NAME}" '${RUN_COMMAND}'
SectionEnd

; Unticking "Starta med Windows" on an upgrade turns autostart off, as the user asked.
Section "-AutostartOff"
  ${IfNot} ${SectionIsSelected} ${SecAutostart}
    DeleteRegValue HKCU "${RUN_KEY_PATH}" "${RUN_VALUE_NAME}"
  ${EndIf}
SectionEnd

; ----------------------------------------------------------------------------------------- uninstall

Section "un.$(UNSEC_PROGRAM)" UnSecProgram
  SectionIn RO
  Call un.StopAgent

  DeleteRegValue HKCU "${RUN_KEY_PATH}" "${RUN_VALUE_NAME}"
  Delete "$SMPROGRAMS\${APP_DISPLAY_NAME}.lnk"

  ; Only what the installer put there: a user who picked an odd folder must not lose anything else in it.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${TRAY_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\${UNINSTALLER}"
  RMDir "$INSTDIR"

  DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd

; Off by default: settings, logs and the posting history (what was already sent to Fortnox) outlive a
; reinstall, so an upgrade by uninstall-then-install never posts a receipt twice.
Section /o "un.$(UNSEC_DATA)" UnSecData
  RMDir /r "$LOCALAPPDATA\${APP_DISPLAY_NAME}"
  RMDir /r "$APPDATA\${APP_DISPLAY_NAME}"
SectionEnd

Section "-un.DataNotice"
  ${IfNot} ${SectionIsSelected} ${UnSecData}
    DetailPrint "$(DATA_KEPT)"
  ${EndIf}
SectionEnd
