; enlace.nsi builds Enlace's Windows installer (Enlace-VERSION-setup.exe)
; with NSIS 3. It installs enlace.exe to Program Files\Enlace for all
; users, adds a Start-menu entry and an uninstaller registered in
; "Aplicaciones y características" (Add/Remove Programs). Uninstalling
; removes the program only: the data in %AppData%\Enlace (the database,
; its backups' settings) stays, so that reinstalling or updating finds it.
;
; Built on Linux by scripts/build-setup.sh (make dist), which passes:
;   /DVERSION=0.1.0     FyneApp.toml's Version
;   /DBUILD=1           FyneApp.toml's Build
;   /DEXE=path          the enlace.exe to install
;   /DICON=path         enlace.ico, made from FyneApp.toml's Icon
;   /DOUTFILE=path      where to write the installer
; A silent install or uninstall takes /S.

; A 64-bit installer, like enlace.exe: it also runs under a 64-bit-only
; Wine (make dist-test), where NSIS's default 32-bit one cannot.
Target amd64-unicode
SetCompressor /SOLID lzma
ManifestDPIAware true

!macro Required NAME
  !ifndef ${NAME}
    !error "pass /D${NAME}=… (see scripts/build-setup.sh)"
  !endif
!macroend
!insertmacro Required VERSION
!insertmacro Required BUILD
!insertmacro Required EXE
!insertmacro Required ICON
!insertmacro Required OUTFILE

!define NAME "Enlace"
!define PUBLISHER "Enlace"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Enlace"

!include "MUI2.nsh"
!include "x64.nsh"
!include "FileFunc.nsh"

Name "${NAME}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${NAME}"
InstallDirRegKey HKLM "${UNINSTKEY}" "InstallLocation"
RequestExecutionLevel admin
BrandingText "${NAME} ${VERSION}"

VIProductVersion "${VERSION}.${BUILD}"
VIAddVersionKey /LANG=0 "ProductName" "${NAME}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}.${BUILD}"
VIAddVersionKey /LANG=0 "FileDescription" "Instalador de ${NAME}"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "LegalCopyright" "${PUBLISHER}"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\enlace.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Abrir Enlace"
!define MUI_UNCONFIRMPAGE_TEXT_TOP "Se quitará el programa Enlace. Sus datos (la base de datos de %APPDATA%\Enlace) no se borran: si vuelve a instalar Enlace, los encontrará."

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Spanish"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "Enlace necesita Windows de 64 bits." /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
FunctionEnd

Function un.onInit
  SetRegView 64
FunctionEnd

Section "Enlace" SecMain
  SectionIn RO
  SetShellVarContext all
  SetOutPath "$INSTDIR"
  File "/oname=enlace.exe" "${EXE}"
  File "/oname=enlace.ico" "${ICON}"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\Enlace.lnk" "$INSTDIR\enlace.exe" "" "$INSTDIR\enlace.ico" 0 \
    SW_SHOWNORMAL "" "Derivaciones entre la Agencia para el Empleo y las oficinas OMIOPI"

  WriteRegStr HKLM "${UNINSTKEY}" "DisplayName" "${NAME}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTKEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\enlace.ico"
  WriteRegStr HKLM "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKLM "${UNINSTKEY}" "EstimatedSize" $0
SectionEnd

; The uninstaller removes only what the installer put: never $APPDATA\Enlace,
; where each user's database lives.
Section "Uninstall"
  SetShellVarContext all
  Delete "$SMPROGRAMS\Enlace.lnk"
  Delete "$INSTDIR\enlace.exe"
  Delete "$INSTDIR\enlace.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR" ; only if empty: files someone added there stay
  DeleteRegKey HKLM "${UNINSTKEY}"
SectionEnd
